; A far JMP or CALL through a call gate to a code segment that is not present raises #NP with the code segment's selector
; mode: pm32
; on-exception: resume
; gdt: 10=0x00018c0000582000 11=0x00cf1a000000ffff
; expect: esp=0x1fff0
; expect-exceptions: 11/0x58@l0 11/0x58@l1
;
; | GDT slot 10 (selector 0x50): a 32-bit call gate, P = 1, DPL 0, to 0x58:0x12000. Slot 11
; | (0x58): a flat 32-bit execute/read code segment, DPL 0, with P = 0. Intel SDM vol. 2
; | JMP and CALL, Operation, call gate: the gate passes its checks, then for the code
; | segment "IF segment not present THEN #NP(new code segment selector)", after the type
; | and DPL checks, which this one passes. Nothing is pushed (ESP stays 0x1FFF0). Unicorn
; | raises #GP(0x58) instead for the JMP (its CALL is right; listed in
; | conformance/divergences.toml); found by conformance fuzz.
l0: ljmp 0x50:0
l1: lcall 0x50:0
