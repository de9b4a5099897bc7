; An interrupt with an IDT of limit 0 faults, #GP cannot be delivered either, nor #DF: a triple fault ends the run
; mode: pm32
; data: 0x18000 dw 0
; data: 0x18002 dd 0
; expect: exit=triple-fault
    lidt [0x18000]
    int 0x30
