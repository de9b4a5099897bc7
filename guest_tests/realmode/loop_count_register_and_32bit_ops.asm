; Real mode 32-bit operands (0x66) and LOOP counting CX, or ECX with an address-size prefix
; mode: real16
; budget: 400000
; expect: eax=0 edx=2 esi=2 ebx=0x10000 edi=1 ecx=0 ebp=0x10001 esp=0xfff0
; expect: cf=1 of=0 zf=0 sf=0
; expect-exceptions: none
;
;   mul ebx           0x80000000 * 4 = 0x2_00000000: EDX = 2, EAX = 0, CF = OF = 1
;   push edx / pop esi  32-bit stack slots, SP back to 0xfff0
;   loop (16-bit address size) decrements CX only: ECX 0x00010001 -> 0x00010000, CX = 0,
;   so the loop body runs once (EDI = 1)
;   loop with 0x67 decrements ECX: 0x10001 iterations (EBP = 0x10001), ECX = 0
;   Flags at the end: CF from MUL (MOV and INC leave CF alone); INC EBP 0x10000 -> 0x10001:
;   OF = ZF = SF = 0
    mov eax, 0x80000000
    mov ebx, 4
    mul ebx
    push edx
    pop esi
    mov ecx, 0x00010001
    mov edi, 0
l16:
    inc edi
    loop l16
    mov ebx, ecx
    mov ecx, 0x00010001
    mov ebp, 0
l32:
    inc ebp
    .byte 0x67
    loop l32
