; At CPL 3 too, a store through a CS override is #GP(0): the user code segment is not
; writable
; mode: user32
; on-exception: resume
; regs: eax=0x55
; compare: 0x18000 4
; expect: mem32[0x18000]=0
; expect-exceptions: 13/0@l0 13/0@l1 13/0@l2
; | As store_through_cs_gp, with CS the runtime's flat user code segment (0x1B, DPL 3,
; | execute/read): Intel SDM vol. 2 MOV and ADD, Protected Mode Exceptions ("#GP(0) If
; | the destination is located in a non-writable segment"). CS:0x18000 is the byte
; | DS:0x18000, which stays 0.
l0: mov byte ptr cs:[0x18000], al
l1: add byte ptr cs:[0x18000], al
l2: inc dword ptr cs:[0x18000]
