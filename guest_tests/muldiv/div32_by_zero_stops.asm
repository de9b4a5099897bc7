; DIV by zero raises #DE (vector 0, a fault): the logged EIP is the DIV and the registers are unchanged
; mode: pm32
; regs: eax=0x1234 edx=0x5678 ecx=0
; expect: exit=exception eax=0x1234 edx=0x5678 ecx=0 ebx=1
; expect-exceptions: 0/-@fault
    mov ebx, 1
fault:
    div ecx
    mov ebx, 2
