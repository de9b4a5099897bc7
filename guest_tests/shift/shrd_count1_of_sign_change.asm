; SHRD by 1 sets OF when the sign changes, the new top bit coming from the source
; mode: pm32
; regs: edi=0x18014 ecx=1
; expect: edi=0x8000c00a cf=0 of=1 sf=1 zf=0
; | Regression from the generated corpus (gen/opcodes/2397): the interpreter took OF
; | from SHR's rule (the old top bit) instead of a change of sign (SDM vol. 2 SHRD).
; | 0x18014 >> 1 with ECX bit 0 shifted in at the top: 0x8000C00A; old top bit 0, new 1.
    shrd edi, ecx, 1
