; FNSTENV's 32-bit protected-mode image fills the reserved upper halves of its control,
; status and tag dwords, and of the data selector's dword, with ones
; mode: user32
; compare: 0x18100 0x1c
; expect: mem32[0x18100]=0xffff037f mem32[0x18104]=0xffff0000 mem32[0x18108]=0xffffffff
; expect: mem32[0x18118]=0xffff0000
; | SDM vol. 1 figure 8-9: the 28-byte image holds FCW, FSW and FTW in the low words of
; | its first three dwords, bits 16-31 reserved, and FDS in the low word of the last
; | (after FNINIT: FCW 0x37F, FSW 0, FTW all empty 0xFFFF, pointers and selectors 0).
; | The host CPU writes 0xFFFF into each reserved word (checked with the native oracle's
; | refusal of FNSTENV lifted: after FNINIT the host's FCS and FDS it would store are 0),
; | as interp and bt do; Unicorn writes 0.
    fninit
    fnstenv [0x18100]
