; DIV by zero raises #DE (vector 0), a fault: EIP at the DIV, registers unchanged
; mode: pm32
; regs: eax=100 edx=0 ecx=0
; on-exception: resume
; expect-exceptions: 0/-@dv
; expect: eax=100 edx=0 ecx=0 ebx=3
dv:
    div ecx
    mov ebx, 3
