; 32-bit addresses with no base register: ModRM disp32 and SIB index*scale + disp32
; mode: pm32
; regs: esi=3
; data: 0x18000 dd 0x500 0x501 0x502 0x503 0x504 0x505 0x506 0x507
; data: 0x18020 dd 0 0 0 0
; expect: eax=0x503 ecx=0x504 edi=0x28 ebx=0x12345678
; expect: mem32[0x18026]=0x503 mem32[0x18020]=0x3000
; expect-exceptions: none
;
; [esi*4+0x18000]   mod=00 SIB base=101: no base, 0x18000 + 12 = 0x1800c -> 0x503
; [0x18010]         mod=00 r/m=101: plain disp32 -> 0x504
; lea [esi*8+0x10]  index*scale + disp only: 24 + 16 = 0x28
; [esi*2+0x18020]   no base, scale 2: 0x18026 (unaligned) <- 0x503
; lea [0x12345678]  disp32 alone
    mov eax, [esi*4+0x18000]
    mov ecx, [0x18010]
    lea edi, [esi*8+0x10]
    mov [esi*2+0x18020], eax
    mov dword ptr [0x18020], 0x3000
    lea ebx, [0x12345678]
