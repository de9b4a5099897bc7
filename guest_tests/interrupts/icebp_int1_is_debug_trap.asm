; INT1 (ICEBP, F1) raises #DB as a trap, without the gate DPL check of INT n
; mode: pm32
; on-exception: resume
; expect-exceptions: 1/-@after
; | SDM vol. 2 INT n/INTO/INT3/INT1: INT1 generates a debug exception (vector 1), a trap,
; | so the saved EIP is the next instruction.
    .byte 0xf1
after:
    nop
