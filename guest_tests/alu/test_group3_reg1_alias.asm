; F6 /1 and F7 /1, the unnamed encodings of group 3, run as TEST r/m, imm (as /0 does)
; mode: pm32
; regs: eax=0x80000001
; data: 0x18000 db 0x05
; expect: eax=0x80000001 ebx=0x40 ecx=0x80 mem8[0x18000]=5
;
; | Group 3 (opcodes F6 and F7; Intel SDM vol. 2 Appendix A, Table A-6) defines /0 as
; | TEST r/m, imm and leaves /1 without a name; processors run /1 as TEST too (the host
; | CPU does, through the native oracle). F6 0D 00 80 01 00 0F is TEST byte [0x18000],
; | 0x0F: 0x05 AND 0x0F is not zero, so ZF = 0 and SETNZ BL gives 1 (0x40 after the
; | shift). F7 C8 00 00 00 80 is TEST EAX, 0x80000000: SF = 1, so SETS CL gives 1 (0x80
; | after the shift). Neither writes its operand: EAX and the byte stay as they were.
; | Unicorn raises #UD for both (listed in conformance/divergences.toml); found by
; | conformance fuzz.
    .byte 0xf6, 0x0d, 0x00, 0x80, 0x01, 0x00, 0x0f
    setnz bl
    shl ebx, 6
    .byte 0xf7, 0xc8, 0x00, 0x00, 0x00, 0x80
    sets cl
    shl ecx, 7
