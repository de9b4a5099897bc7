; pm16 with a 16-bit stack segment (B=0): PUSH/POP/CALL/RET change only SP, keep ESP's upper half, and SP wraps at 0
; mode: pm16
; regs: esp=0xabcdfff0 eax=0x12345678
; expect: ebx=0xabcdffea ecx=0x12345678 edx=0x5678 ebp=0xabcdffee esi=0x5555fffe edi=0x7777 esp=0x55550000
; expect: mem32[0x1ffea]=0x12345678 mem16[0x1ffee]=0xc mem16[0x1fffe]=0x7777
; | SS=0x38 (base 0x10000, limit 0xFFFF, B=0): SS:0xFFEE is linear 0x1FFEE.
; | 0x00 push ax: SP=FFEE; 0x01 push eax (66): SP=FFEA; 0x03 mov ebx,esp; 0x06 pop ecx; 0x08 pop dx
; | 0x09 call sub1 (E8 rel16, as bytes: keystone emits 66 E8 in 16-bit code) pushes IP 0x000C at FFEE
; | 0x0C jmp done; 0x0E sub1: mov ebp,esp (0xABCDFFEE); ret (C3)
; | done: ESP=0x55550000; push 0x7777: SP wraps to 0xFFFE (linear 0x1FFFE); pop di: SP wraps back to 0
    push ax
    push eax
    mov ebx, esp
    pop ecx
    pop dx
    .byte 0xe8
    .word sub1 - after
after:
    jmp done
sub1:
    mov ebp, esp
    .byte 0xc3
done:
    mov esp, 0x55550000
    push word 0x7777
    mov esi, esp
    pop di
