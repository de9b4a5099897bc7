; With CR0.EM = 1 an x87 instruction raises #NM (device not available), a fault at the instruction
; mode: pm32
; expect: exit=exception
; expect-exceptions: 7/-@fpu
    mov eax, cr0
    or eax, 4
    mov cr0, eax
fpu:
    fld1
