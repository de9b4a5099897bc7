; In real mode, SLDT, STR, LAR, LSL, VERR, VERW, ARPL, LLDT and LTR with a memory word across the 64 KiB limit raise #UD, not #GP
; mode: real16
; on-exception: resume
; regs: ebx=0x1234
; expect: ebx=0x1234
; expect-exceptions: 6@l0 6@l1 6@l2 6@l3 6@l4 6@l5 6@l6 6@l7 6@l8
;
; | A word at DS:0xFFFF runs past the real-mode segment limit (0xFFFF), which would be
; | #GP(0) for an instruction that is recognized. Intel SDM vol. 2, each instruction's
; | Real-Address Mode Exceptions lists only "#UD The ... instruction is not recognized
; | in real-address mode", so the operand is never reached: #UD each time, nothing
; | stored (0xFFFF and on stay zero) and EBX as it was. The VMM checked the segment
; | limit first (found by conformance fuzz on LLDT's privilege check).
l0: sldt word ptr [0xffff]
l1: str word ptr [0xffff]
l2: lar bx, word ptr [0xffff]
l3: lsl bx, word ptr [0xffff]
l4: verr word ptr [0xffff]
l5: verw word ptr [0xffff]
l6: arpl word ptr [0xffff], bx
l7: lldt word ptr [0xffff]
l8: ltr word ptr [0xffff]
