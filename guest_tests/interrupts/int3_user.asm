; INT3 (0xCC) and INT 3 (0xCD 0x03) from CPL3 through the DPL-3 gate 3 trap with EIP after the instruction
; mode: user32
; on-exception: resume
; SDM vol. 2 INT n/INTO/INT3: both go through IDT vector 3 with the DPL check
; (gate DPL 3); the saved EIP is the next instruction. Both log CS 0x1b.
; expect-exceptions: 3/-@a1 3/-@a2
; expect: ecx=2 cs=0x1b ss=0x23 esp=0x1fff0
; expect: mem32[0x341c]=0x1b mem32[0x343c]=0x1b
    int3
a1:
    inc ecx
    int 3
a2:
    inc ecx
