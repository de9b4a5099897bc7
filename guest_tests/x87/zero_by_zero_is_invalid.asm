; 0 / 0 is an invalid operation (IE, the indefinite), not a division by zero (ZE)
; mode: pm32
; data: 0x18000 dd 0
; expect: eax=0x3801 ecx=0x3801
; | Intel SDM vol. 2 FDIV/FDIVR, FPU Exceptions: #IA for +/-0 / +/-0, #Z only for a finite
; | non-zero dividend divided by +/-0. Masked (FNINIT's control word), IE is set and the
; | result is the indefinite; one value on the stack: TOP = 7, so FSW = 0x3801 after each
; | (FNCLEX between them). The host CPU (AMD EPYC) gives 0x3801 for both.
    fldz
    fdivr dword ptr [0x18000]
    fnstsw ax
    mov ecx, eax
    fnclex
    fstp st(0)
    fldz
    fdiv dword ptr [0x18000]
    fnstsw ax
