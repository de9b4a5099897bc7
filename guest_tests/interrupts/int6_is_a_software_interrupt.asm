; INT 6 is a software interrupt to vector 6, not the #UD fault: the saved EIP is the next instruction
; mode: pm32
; on-exception: resume
; expect-exceptions: 6/-@after
; | SDM vol. 2 INT n/INTO/INT3/INT1: INT n "generates a call to the interrupt or exception
; | handler specified with the destination operand", any vector 0 to 255, with the return
; | address of the instruction after it; no error code (vol. 3A 6.4.2: a software
; | interrupt to an exception vector pushes none). Unicorn (QEMU) runs CD 06 as an invalid
; | instruction, so its oracle turns that back into INT 6.
    int 6
after:
    nop
