; FLDENV loads the control word with its reserved bits as the processor keeps them and
; sets ES and B in the status word when a loaded exception flag is unmasked
; mode: user32
; data: 0x18000 dd 0xffff1023 0xffff102c 0xffffffff 0 0 0 0
; expect: mem16[0x18200]=0x1063 mem16[0x18202]=0x90ac
; | The 28-byte protected-mode environment (SDM vol. 1 figure 8-9): FCW 0x1023, FSW
; | 0x102C, FTW all empty. FCW: bit 6 reads 1 (0x1063; see fcw_reserved_bits). FSW 0x102C
; | holds ZE, OE and PE with TOP 2; FCW masks IM, DM and PM only, so ZE and OE are
; | unmasked exceptions pending: ES (bit 7) and B (bit 15) are set, 0x90AC (vol. 1 8.1.3.1;
; | the host CPU, through the native oracle, stores these). FNSTSW does not wait, and
; | FNINIT clears the pending exceptions before anything could raise #MF.
    fldenv [0x18000]
    fnstcw word ptr [0x18200]
    fnstsw word ptr [0x18202]
    fninit
