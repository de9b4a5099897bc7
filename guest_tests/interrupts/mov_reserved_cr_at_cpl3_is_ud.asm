; MOV from CR1 and to CR5 at CPL 3 raise #UD, not #GP: the registers do not exist
; mode: user32
; on-exception: resume
; expect-exceptions: 6/-@l_from_cr1 6/-@l_to_cr5 13/0@l_from_cr0
; | Intel SDM vol. 2 MOV (Move to/from Control Registers), Protected Mode Exceptions:
; | #UD if an attempt is made to access CR1, CR5, CR6 or CR7; #GP(0) if the CPL is not 0,
; | which is what MOV from CR0 raises here. The host CPU (an AMD EPYC, family 25 model 17)
; | agrees in a user process: SIGILL for MOV RAX, CR1 (0F 20 C8) and CR5, SIGSEGV for CR0.
l_from_cr1:
    .byte 0x0f, 0x20, 0xc8
l_to_cr5:
    .byte 0x0f, 0x22, 0xe8
l_from_cr0:
    mov eax, cr0
