; An event from virtual-8086 mode through a 16-bit interrupt gate pushes a 16-bit frame, 18 bytes on the TSS stack: GS, FS, DS, ES, SS, SP, FLAGS, CS, IP
; mode: pm32
; data: 0x18000 dd 0 0 0 0 0 0 0 0 0 0 0
; compare: 0x18000 44
; expect-exceptions: none
; expect: mem32[0x18000]=0x8fee mem32[0x18004]=0x1000 mem32[0x18008]=0x3046
; expect: mem32[0x1800c]=0xfff0 mem32[0x18010]=0x2000 mem32[0x18014]=0x1801
; expect: mem32[0x18018]=0x1802 mem32[0x1801c]=0x1803 mem32[0x18020]=0x1804 mem32[0x18024]=0
; expect: mem32[0x18028]=0
; expect: cs=0x30 ss=0x10 esp=0x8fee
; | A DPL 3 16-bit interrupt gate (type 6, access byte 0xE6) for vector 0x90 leads to the
; | runtime's 16-bit DPL 0 code segment 0x30 (base 0x10000) at handler16 - 0x10000. IRETD to
; | virtual-8086 mode at IOPL 3; XOR BX, BX sets ZF and PF; INT 0x90.
; | SDM vol. 2 INT n, INTERRUPT-FROM-VIRTUAL-8086-MODE: "the pushes are 16 bits for 16-bit
; | IDT gates": SS0:ESP0 = 0x10:0x9000, nine words, SP 0x9000 - 18 = 0x8fee (the upper half
; | of ESP is zero), then DS, ES, FS, GS are null. The frame from SP up: IP (EIP - the IP
; | after the INT, stored at 0x18024: 0), CS 0x1000, FLAGS 0x3246 with the VM bit (17) not
; | in a word (low word 0x3246 minus IF: 0x3046 - IF was clear), SP 0xfff0, SS 0x2000, ES
; | 0x1801, DS 0x1802, FS 0x1803, GS 0x1804. The handler ORs the four nulled selectors into
; | 0x18028 and ends the test at CPL 0 (a 16-bit IRET cannot return to virtual-8086 mode).
    mov eax, handler16 - 0x10000
    mov word ptr [0x800+0x90*8], ax
    mov word ptr [0x802+0x90*8], 0x30
    mov word ptr [0x804+0x90*8], 0xe600
    mov word ptr [0x806+0x90*8], 0
    push dword 0x1804
    push dword 0x1803
    push dword 0x1802
    push dword 0x1801
    push dword 0x2000
    push dword 0xfff0
    push dword 0x23002
    push dword 0x1000
    push dword v86 - 0x10000
    iretd
.code16
v86:
    xor bx, bx
    int 0x90
after:
    hlt
handler16:
    mov bx, ds
    mov cx, es
    or bx, cx
    mov cx, fs
    or bx, cx
    mov cx, gs
    or bx, cx
    mov ax, 0x10
    mov ds, ax
    movzx ebx, bx
    mov dword ptr [0x18028], ebx
    mov dword ptr [0x18000], esp
    movzx eax, word ptr [esp]
    sub eax, after - 0x10000
    mov dword ptr [0x18024], eax
    mov esi, 2
    mov edi, 4
copy:
    movzx eax, word ptr [esp+esi]
    mov dword ptr [0x18000+edi], eax
    add esi, 2
    add edi, 4
    cmp esi, 18
    jb copy
