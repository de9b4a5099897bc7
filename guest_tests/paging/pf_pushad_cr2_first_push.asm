; PUSHAD that faults on its first push reports the address of that push in CR2: the
; highest of the eight
; mode: user32
; on-exception: resume
; regs: esp=0
; expect: cr2=0xfffffffc esp=0
; expect-exceptions: 14/6@l_pushad
; | SDM vol. 2 PUSHA/PUSHAD: EAX is pushed first, at ESP - 4 = 0xFFFFFFFC, then ECX ...
; | EDI at 0xFFFFFFE0. Linear 0xFFFFF000 is not mapped, so the first push faults: #PF
; | with P = 0, W/R = 1, U/S = 1 (error code 6) and CR2 0xFFFFFFFC. The host CPU agrees
; | (native oracle); ESP is left as it was (the fault is atomic).
l_pushad:
    pushad
    nop
