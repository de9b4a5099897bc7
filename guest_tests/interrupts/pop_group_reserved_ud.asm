; Opcode 8F with a ModRM reg field other than 0 is reserved: #UD, nothing popped or stored
; mode: pm32
; on-exception: resume
; regs: eax=0x18000
; compare: 0x18000 4
; expect: eax=0x18000 esp=0x1fff0
; expect-exceptions: 6@l0 6@l1 6@l2
;
; | Intel SDM vol. 2, Appendix A, Table A-6 (opcode extensions): group 1A, opcode 8F,
; | defines /0 (POP r/m) alone; the other reg values are reserved, and a reserved
; | opcode raises #UD (vol. 3A 6.15, interrupt 6). ESP and the memory at EAX stay as
; | they were (the compared dword at 0x18000 stays 0). Unicorn runs 8F /1, /2 and /7 as
; | POP (listed in conformance/divergences.toml); found by conformance fuzz. Given as
; | bytes (keystone and capstone refuse them), each followed by a label, where the
; | handler resumes.
l0: .byte 0x8f, 0x10
l1: .byte 0x8f, 0x38
l2: .byte 0x8f, 0xc8
l3: nop
