; #PF on a not-present page: error code 0 for a read, 2 for a write, CR2 = the faulting address
; mode: pm32-paged
; on-exception: resume
; regs: eax=0xaaaaaaaa
; data: 0x20010 dd 0x1234
; expect: eax=0xaaaaaaaa ebx=0x20010 ecx=0x20ffc cr2=0x20ffc mem32[0x20ffc]=0
; expect-exceptions: 14/0@l_read 14/2@l_write
;
; The PTE of page 0x20 (linear 0x20000) is the dword at 0x7000 + 4*0x20 = 0x7080; it is
; cleared (P = 0) and the TLB entry flushed with INVLPG.
; SDM vol. 3A 4.7 page-fault error code: bit 0 P = 0 (not present), bit 1 W/R, bit 2 U/S = 0
; (CPL 0), bit 4 I/D = 0 (no NX, no SMEP). CR2 holds the linear address; the handler does not
; change it, so the body reads it back after each resumed fault.
    mov dword ptr [0x7080], 0
    invlpg [0x20000]
l_read:
    mov eax, [0x20010]
    mov ebx, cr2
l_write:
    mov dword ptr [0x20ffc], 0x5678
    mov ecx, cr2
