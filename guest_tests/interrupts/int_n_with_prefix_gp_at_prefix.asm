; INT n with a segment prefix that faults (#GP through a DPL 0 gate at CPL 3) is reported at the prefix, the instruction's first byte
; mode: user32
; on-exception: resume
; expect-exceptions: 13/0x482@l0 13/0x482@l1
;
; | The runtime's gate 0x90 has DPL 0: INT 0x90 at CPL 3 raises #GP with error code
; | 0x90 * 8 + 2 = 0x482 (IDT, EXT = 0; Intel SDM vol. 2 INT n, Operation). A fault's
; | frame holds the address of the faulting instruction, and an instruction starts at its
; | first prefix: the DS override (3E) before CD 90 at L0, two prefixes at L1. The
; | handler resumes after each. The Unicorn oracle had reported the fault at the CD byte
; | (it took the INT for two bytes); found by conformance fuzz.
l0: .byte 0x3e, 0xcd, 0x90
l1: .byte 0x3e, 0x66, 0xcd, 0x90
l2: nop
