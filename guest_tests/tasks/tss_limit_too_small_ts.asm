; A 32-bit TSS with a limit below 0x67 is #TS(selector), taken in the old task before the switch commits
; mode: pm32
; gdt: 10=0x0000890184000060
; on-exception: resume
; expect-exceptions: 10/0x50@here
; expect: cr0=0x11 mem8[0x655]=0x89 mem8[0x62d]=0x8b eax=0x28
; | SDM vol. 3A table 7-1: "TSS segment limit greater than or equal to 67H for 32-bit TSS"
; | else #TS with the new TSS's selector, before anything is saved: the busy bits, CR0.TS
; | and TR (STR after the fault: 0x28) are unchanged.
here:
    ljmp 0x50:0
    xor eax, eax
    str ax
