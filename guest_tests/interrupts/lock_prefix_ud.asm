; LOCK on an instruction that cannot take it, or on one whose destination is a register, raises #UD before any operand is touched
; mode: user32
; on-exception: resume
; regs: eax=1 ebx=2 edx=3 esi=0x800000
; expect: eax=1 ebx=2 edx=3 ebp=0 cr2=0
; expect-exceptions: 6@l0 6@l1 6@l2 6@l3 6@l4
;
; | Intel SDM vol. 2 LOCK: "An undefined opcode exception will also be generated if the
; | LOCK prefix is used with any instruction not in the above list" (ENTER, MOV, NOP
; | here), and ADD's Protected Mode Exceptions: "#UD If the LOCK prefix is used but the
; | destination is not a memory operand" (L0, L1). The opcode is refused as it is
; | decoded: ESI points at a missing page (0x800000, beyond the runtime's 4 MiB map),
; | yet there is no #PF (CR2 stays 0), ENTER pushes nothing (EBP stays 0) and no
; | register changes. Unicorn reads the memory operands first (#PF at L1 and L3) and runs
; | LOCK ENTER (listed in conformance/divergences.toml); found by conformance fuzz.
; | Each instruction is given as bytes (keystone and capstone refuse the combinations),
; | and each is followed by a label, where the handler resumes.
l0: .byte 0xf0, 0x01, 0xd8
l1: .byte 0xf0, 0x02, 0x16
l2: .byte 0xf0, 0xc8, 0x10, 0x00, 0x00
l3: .byte 0xf0, 0x89, 0x06
l4: .byte 0xf0, 0x90
l5: nop
