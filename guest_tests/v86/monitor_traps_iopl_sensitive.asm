; At IOPL 0 a virtual-8086 task's CLI, STI, PUSHF, POPF, INT n, IRET and HLT raise #GP(0) to a CPL 0 monitor, which skips each; OUT to a port the I/O bitmap allows does not trap
; mode: pm32
; data: 0x18100 dd 0 0 0 0 0
; compare: 0x18100 20
; expect-exceptions: none
; expect-ports: 0xe9=0x41
; expect: mem32[0x18100]=7 mem32[0x18104]=0x9d9cfbfa mem32[0x18108]=0xf4cfcd mem32[0x1810c]=0
; expect: mem32[0x18110]=0x23
; expect: vm=1 iopl=0 if=1 cs=0x1000 ss=0x2000 esp=0xfff0 eax=0x41
; | The kernel installs its own #GP handler (an interrupt gate, DPL 0, vector 13) and
; | IRETDs to virtual-8086 mode with IOPL 0 and IF set (EFLAGS 0x20202).
; | SDM vol. 3A 20.2.7 and vol. 2 CLI, STI, PUSHF, POPF, INT n, IRET: at IOPL < 3 each is
; | #GP(0); HLT is privileged (CPL 3). OUT is checked against the TSS I/O bitmap whatever
; | IOPL is (vol. 1 19.5.2); the bitmap allows 0xE9, so OUT 0xE9 does not trap.
; | The handler finds the error code at [ESP] and IP, CS at [ESP+4], [ESP+8]; it logs the
; | opcode byte at CS * 16 + IP (count at 0x18100, bytes from 0x18104), ORs the error
; | codes into 0x1810c, skips the instruction (INT n: 2 bytes, else 1) and IRETDs back.
; | Log: FA FB 9C 9D CD CF F4, all with error code 0; PUSHF was skipped, so SP is
; | unchanged. 0x18110 holds what the body wrote there: the handler saves and restores DS,
; | which the event nulled.
    mov dword ptr [0x18110], 0x23
    mov eax, gp_handler
    mov word ptr [0x800+13*8], ax
    mov word ptr [0x802+13*8], 0x08
    mov word ptr [0x804+13*8], 0x8e00
    shr eax, 16
    mov word ptr [0x806+13*8], ax
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0x2000
    push dword 0xfff0
    push dword 0x20202
    push dword 0x1000
    push dword v86 - 0x10000
    iretd
gp_handler:
    push eax
    push ebx
    push ecx
    push ds
    mov ax, 0x10
    mov ds, ax
    mov eax, dword ptr [esp+16]
    or dword ptr [0x1810c], eax
    movzx ebx, word ptr [esp+24]
    shl ebx, 4
    movzx eax, word ptr [esp+20]
    add ebx, eax
    mov cl, byte ptr [ebx]
    mov eax, dword ptr [0x18100]
    mov byte ptr [0x18104+eax], cl
    inc dword ptr [0x18100]
    inc word ptr [esp+20]
    cmp cl, 0xcd
    jne skipped
    inc word ptr [esp+20]
skipped:
    pop ds
    pop ecx
    pop ebx
    pop eax
    add esp, 4
    iretd
.code16
v86:
    cli
    sti
    pushf
    popf
    int 0x21
    iret
    hlt
    mov al, 0x41
    out 0xe9, al
