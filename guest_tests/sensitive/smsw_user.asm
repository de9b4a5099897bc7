; SMSW at CPL3 is allowed (UMIP off) and reveals CR0 bits 15:0 (0x11), unlike MOV from CR0
; mode: user32
; regs: eax=0xdeadbeef ecx=0xffffffff
; data: 0x18000 dd 0xffffffff
; expect-exceptions: none
; Robin & Irvine: SMSW is sensitive but unprivileged. PG (bit 31) is outside
; the stored word.
; expect: eax=0xdead0011 cx=0x11 mem32[0x18000]=0xffff0011 cs=0x1b
    smsw ax
    smsw ecx
    smsw [0x18000]
