; AAM 0 raises #DE (no error code) at the AAM and leaves AX unchanged; execution resumes after it
; mode: pm32
; on-exception: resume
; regs: eax=0x12345678
; expect: eax=0x12345678 ebx=1 esp=0x1fff0
; expect-exceptions: 0/-@div_here
div_here:
    aam 0
    mov ebx, 1
