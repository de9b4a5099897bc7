; The page walk sets A in the PDE and PTE on any access and D in the PTE on a write
; mode: pm32-paged
; data: 0x20000 dd 0x1234
; data: 0x50000 dd 0x5678
; expect: eax=0x1234 ebx=0x5678
; expect: mem32[0x7080]=0x20027 mem32[0x70c0]=0x30067 mem32[0x7100]=0x40007 mem32[0x7140]=0x50067
; expect: mem32[0x6000]=0x7027
; expect-exceptions: none
;
; The runtime PTEs for pages 0x20, 0x30, 0x40, 0x50 start as frame | 7 (user, writable,
; present) with A (0x20) and D (0x40) clear; the PDE at 0x6000 is 0x7007.
; SDM vol. 3A 4.8:
;   read page 0x20                -> A: 0x20027
;   write page 0x30               -> A and D: 0x30067
;   page 0x40 untouched           -> 0x40007
;   read, then write page 0x50    -> 0x50067: the write sets D even though the read
;                                    already cached the translation
;   PDE: A set; D is ignored in a PDE that references a page table and stays 0: 0x7027
    mov eax, [0x20000]
    mov dword ptr [0x30000], 1
    mov ebx, [0x50000]
    mov dword ptr [0x50004], 2
