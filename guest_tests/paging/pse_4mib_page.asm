; CR4.PSE: a PDE with PS = 1 maps a 4 MiB page; a reserved bit in it is #PF with RSVD (9)
; mode: pm32-paged
; on-exception: resume
; regs: esi=0x55555555
; data: 0x18000 dd 0x4d4d4d4d
; expect: ebx=0x4d4d4d4d ecx=0x4444 edx=0x10 esi=0x55555555 edi=0x800010 cr2=0x800010
; expect: mem32[0x18004]=0x4444 mem32[0x6004]=0xe3 mem32[0x6008]=0x200083
; expect-exceptions: 14/9@l_rsvd
;
; PDE 1 (0x6004, linear 0x400000-0x7fffff) = 0x83: 4 MiB page at frame 0, PS | R/W | P.
; With CR4.PSE = 1 (SDM vol. 3A 4.3, table 4-4): linear 0x418000 -> physical 0x18000.
; After a read and a write through it the PDE has A and D: 0x83 | 0x60 = 0xe3.
; PDE 2 (0x6008, linear 0x800000-0xbfffff) = 0x200083: bit 21 of a 4 MiB PDE is reserved
; (table 4-4), so a read at 0x800010 is #PF with P = 1, RSVD = 1: error code 9
; (SDM vol. 3A 4.7); the PDE is left unchanged and CR2 = 0x800010.
    mov dword ptr [0x6004], 0x83
    mov dword ptr [0x6008], 0x200083
    mov eax, cr4
    or eax, 0x10
    mov cr4, eax
    mov edx, cr4
    and edx, 0x10
    mov ebx, [0x418000]
    mov dword ptr [0x418004], 0x4444
    mov ecx, [0x18004]
l_rsvd:
    mov esi, [0x800010]
    mov edi, cr2
