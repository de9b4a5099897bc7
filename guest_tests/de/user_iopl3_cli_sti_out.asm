; A user task entered by IRETD with IOPL 3: CLI and STI at CPL 3 do not fault, PUSHFD shows IF cleared, and OUT to ports the TSS bitmap denies is allowed
; mode: pm32-paged
; regs: eax=0x12 edx=0x61
; expect-exceptions: none
; expect-debug: !
; expect-ports: 0x80=0x12 0x61=0x34 0xe9=0x21
; expect: ecx=0x3002 ebx=0x3202 eax=0x21 edx=0x61 cs=0x1b ss=0x23 esp=0x1f000 iopl=3 if=1
; | The kernel IRETDs to CPL 3 with EFLAGS 0x3202 (IOPL 3, IF 1); at CPL 0 IRET may change
; | IOPL (SDM vol. 2 IRET), so the user runs with CPL 3 = IOPL.
; | CLI/STI: #GP only if CPL > IOPL (vol. 2 CLI, STI; CR4.VME/PVI are 0): here they execute.
; | After CLI, PUSHFD stores 0x3002 (ecx); after STI 0x3202 (ebx). MOV and PUSHFD/POP
; | change no flags.
; | OUT: with CPL <= IOPL the I/O permission bitmap is not consulted (vol. 1 19.5.1, 19.5.2),
; | so OUT 0x80 (bitmap bit 1) writes 0x12, OUT DX=0x61 writes 0x34, and 0xE9 (allowed in
; | the bitmap anyway) 0x21 ('!').
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov eax, 0x12
    push dword 0x23
    push dword 0x1f000
    push dword 0x3202
    push dword 0x1b
    push dword user
    iretd

user:
    cli
    pushfd
    pop ecx
    sti
    pushfd
    pop ebx
    out 0x80, al
    mov al, 0x34
    out dx, al
    mov al, 0x21
    out 0xe9, al
