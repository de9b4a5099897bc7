; SLDT, STR, LAR, LSL, VERR, VERW, ARPL, LLDT and LTR raise #UD in real mode
; mode: real16
; on-exception: resume
; regs: eax=0x5a5a ebx=0x1234 edx=0x7777
; expect: eax=0x5a5a ebx=0x1234 edx=0x7777
; expect-exceptions: 6@l0 6@l1 6@l2 6@l3 6@l4 6@l5 6@l6 6@l7 6@l8 6@l9
;
; Intel SDM vol. 2, each instruction's "Real-Address Mode Exceptions": "#UD The ... instruction
; is not recognized in real-address mode" (SLDT, STR, LAR, LSL, VERR/VERW, ARPL, LLDT, LTR).
; No register changes (Unicorn agrees). Found by `conformance fuzz`: the VMM stored LDTR and
; TR in real mode.
l0: sldt ax
l1: str dx
l2: sldt word ptr [0x8000]
l3: lar bx, ax
l4: lsl bx, ax
l5: verr ax
l6: verw ax
l7: arpl ax, bx
l8: lldt ax
l9: ltr ax
