; FF /7 is reserved in opcode group 5: #UD, whatever its memory operand
; mode: user32
; on-exception: resume
; expect-exceptions: 6/-@l_reg 6/-@l_mem
; | Intel SDM vol. 2 Appendix A, Table A-6: group 5 (FF) defines /0-/6 (INC, DEC, CALL,
; | CALL far, JMP, JMP far, PUSH); /7 is reserved, and a reserved encoding raises #UD
; | before any operand is read: the not-present page at 0x700000 is never touched.
l_reg:
    .byte 0xff, 0xf8
l_mem:
    .byte 0xff, 0x3d, 0x00, 0x00, 0x70, 0x00
