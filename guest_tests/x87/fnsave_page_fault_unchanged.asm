; FNSAVE whose image crosses into a not-present page raises #PF: nothing is written and the FPU is not initialised
; mode: pm32-paged
; | Expectation: by hand from SDM vol. 3A 6.5 (a fault leaves the state as it was); FNSAVE's image
; | is 108 bytes, from 0x2ffc0 into the page at 0x30000.
; data: 0x18000 dw 0x0b7f
; compare: 0x2ff80 64
; expect: exit=exception mem32[0x2ffc0]=0
; expect-exceptions: 14/0x2@save
    fninit
    fldcw word ptr [0x18000]
    fldpi
    fld1
    mov dword ptr [0x7000 + 4 * 0x30], 0
    invlpg [0x30000]
save:
    fnsave [0x2ffc0]
