; FS, GS, ES and CS overrides use their own segment bases; an override beats EBP's SS default
; mode: pm32
; gdt: 10=0x00cf92020000ffff 11=0x00cf92030000ffff 12=0x00cf92040000ffff
; regs: esi=0x18000 ebp=0x18004
; data: 0x18000 dd 0xd5
; data: 0x38000 dd 0xf5
; data: 0x48000 dd 0x65
; data: 0x58000 dd 0xe5
; expect: eax=0xf5 ebx=0x65 ecx=0xe5 edx=0xd5 edi=0xd5
; expect: fs=0x50 gs=0x58 es=0x60
; expect: mem32[0x38004]=0x77 mem32[0x18004]=0
; expect-exceptions: none
;
; Slots 10, 11, 12 (selectors 0x50, 0x58, 0x60): flat read/write data with bases
; 0x20000, 0x30000, 0x40000. DS, SS and CS stay flat (base 0).
;   FS override [0x18000] -> 0x38000    GS override [esi] -> 0x48000
;   ES override [0x18000] -> 0x58000    no override [0x18000] (DS) -> 0x18000
;   CS override [esi] -> 0x18000        FS override [ebp] store -> 0x38004 (not SS:0x18004)
    mov ax, 0x50
    mov fs, ax
    mov ax, 0x58
    mov gs, ax
    mov ax, 0x60
    mov es, ax
    mov eax, fs:[0x18000]
    mov ebx, gs:[esi]
    mov ecx, es:[0x18000]
    mov edx, [0x18000]
    mov dword ptr fs:[ebp], 0x77
    mov edi, cs:[esi]
