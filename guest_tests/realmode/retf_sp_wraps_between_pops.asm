; Real-mode RETF with SP = 0xFFFE pops IP from SS:0xFFFE and CS from SS:0, SP wrapping
; between the two pops
; mode: real16
; regs: ss=0x2000 esp=0xfffe
; data: 0x2fffe dw 0x0010
; data: 0x20000 dw 0x1000
; expect: esp=2 eax=1 cs=0x1000
; expect-exceptions: none
; | CB is RETF with the 16-bit operand size. SDM vol. 2 RET (far, real-address mode):
; | IP := Pop(), CS := Pop(); each pop reads SS:SP and adds 2 to SP, which is 16 bits wide
; | and wraps (vol. 3A 20.1.1). SS = 0x2000: IP comes from 0x2FFFE (0x0010, the label
; | there), then SP wraps to 0 and CS comes from 0x20000 (0x1000, the body's own
; | segment); SP ends 2. Unicorn reads CS from 0x30000 instead (found by conformance fuzz).
    .byte 0xcb
    .fill 15, 1, 0x90
there:
    mov ax, 1
