; FISTTP (DF /1, DB /1, DD /1) is an SSE3 instruction: the modelled CPU does not report SSE3, so it raises #UD
; mode: pm32
; | Expectation: by hand from SDM vol. 2 FISTTP (#UD if CPUID.01H:ECX.SSE3[bit 0] = 0) and the
; | model's CPUID (leaf 1 ECX = 0).
; expect: exit=exception
; expect-exceptions: 6/-@here
    fninit
    fld1
here:
    fisttp word ptr [0x18000]
