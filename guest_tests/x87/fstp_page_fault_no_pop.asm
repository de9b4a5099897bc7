; FSTP to a not-present page raises #PF and leaves the FPU as it was: nothing popped, no flag set
; mode: pm32-paged
; | Expectation: by hand from SDM vol. 3A 6.5 (a fault leaves the state as it was before the
; | instruction); the final state (TOP 7, ST(0) in use) is compared on every engine.
; compare: 0x18100 16
; expect: exit=exception mem16[0x18100]=0x3800
; expect-exceptions: 14/0x2@store
    fninit
    fld1
    fnstsw ax
    mov [0x18100], ax
    mov dword ptr [0x7000 + 4 * 0x30], 0   ; the page at 0x30000 not present
    invlpg [0x30000]
store:
    fstp qword ptr [0x30000]
