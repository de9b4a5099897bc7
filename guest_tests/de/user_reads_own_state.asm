; User code reads its segment registers, EFLAGS, GDTR, IDTR, LDTR, TR and CR0's low word, and LAR/LSL of its own selectors, all unprivileged at CPL 3
; mode: pm32-paged
; data: 0x18000 dd 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa
; data: 0x18020 dd 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa
; compare: 0x18000 64
; expect-exceptions: none
; expect: mem16[0x18000]=0x1b mem16[0x18002]=0x23 mem16[0x18004]=0x23 mem16[0x18006]=0x23
; expect: mem16[0x18008]=0x23 mem16[0x1800a]=0 mem32[0x1800c]=0x202
; expect: mem16[0x18010]=0xff mem32[0x18012]=0x600 mem16[0x18016]=0xaaaa
; expect: mem16[0x18018]=0x7ff mem32[0x1801a]=0x800 mem16[0x1801e]=0xaaaa
; expect: mem16[0x18020]=0 mem16[0x18022]=0x28 mem16[0x18024]=0x11 mem16[0x18026]=0xaaaa
; expect: mem32[0x18028]=0x00c0fb00 mem32[0x1802c]=0x00c0f300 mem32[0x18030]=0xffffffff mem32[0x18034]=0xffffffff
; expect: mem32[0x18038]=0x01010101
; expect: cs=0x1b ss=0x23 ds=0x23 es=0x23 fs=0x23 gs=0 esp=0x1f000 cr0=0x80000011
; | The kernel loads DS, ES, FS with 0x23 and GS with the DPL 0 selector 0x10, then IRETDs
; | to CPL 3 (EFLAGS 0x202). IRET to an outer level nulls a data segment register whose
; | DPL < the new CPL (SDM vol. 2 IRET): GS reads 0; the others keep 0x23.
; | MOV r/m16, Sreg stores CS 0x1b, SS 0x23, DS, ES, FS 0x23, GS 0 at 0x18000..0x1800a.
; | PUSHFD before any flag-changing instruction: 0x202 (0x1800c).
; | With CR4.UMIP = 0 SGDT, SIDT, SLDT, STR, SMSW are allowed at CPL 3 (vol. 2 of each):
; |   SGDT: limit 32*8-1 = 0xff, base 0x600 (6 bytes; the next word stays 0xaaaa).
; |   SIDT: limit 0x7ff, base 0x800.
; |   SLDT m16: the runtime's LLDT 0 leaves LDTR null: 0. STR m16: TR = 0x28.
; |   SMSW m16: CR0 bits 15:0 = ET | PE = 0x11 (pm32-paged: CR0 = PG | ET | PE = 0x80000011).
; | LAR r32 (vol. 2 LAR): descriptor dword 1 AND 0x00f0ff00 with bits 19:16 undefined (the
; | test clears them with AND 0xfff0ffff), ZF=1 when visible (DPL 3 >= CPL, RPL). 0x1b: G=1 D=1 (flags 0xc), access 0xfa | accessed 0xfb (set when the IRETD
; | loaded CS, vol. 3A 3.4.5.1) -> 0x00c0fb00. 0x23: 0xf2 | accessed -> 0x00c0f300.
; | LSL: limit 0xfffff with G=1 scaled to 0xffffffff for both. ZF of each of the four
; | goes to a byte at 0x18038: all 1.
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov ax, 0x10
    mov gs, ax
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd

user:
    mov word ptr [0x18000], cs
    mov word ptr [0x18002], ss
    mov word ptr [0x18004], ds
    mov word ptr [0x18006], es
    mov word ptr [0x18008], fs
    mov word ptr [0x1800a], gs
    pushfd
    pop dword ptr [0x1800c]
    sgdt [0x18010]
    sidt [0x18018]
    sldt word ptr [0x18020]
    str word ptr [0x18022]
    smsw word ptr [0x18024]
    mov ecx, 0x1b
    lar eax, ecx
    setz byte ptr [0x18038]
    and eax, 0xfff0ffff
    mov dword ptr [0x18028], eax
    mov ecx, 0x23
    lar eax, ecx
    setz byte ptr [0x18039]
    and eax, 0xfff0ffff
    mov dword ptr [0x1802c], eax
    mov ecx, 0x1b
    lsl eax, ecx
    setz byte ptr [0x1803a]
    mov dword ptr [0x18030], eax
    mov ecx, 0x23
    lsl eax, ecx
    setz byte ptr [0x1803b]
    mov dword ptr [0x18034], eax
