; SALC (D6) sets AL to 0xFF when CF is set and to 0 when it is clear, changing no flag
; mode: user32
; regs: eax=0x12345678 ecx=0x11223344
; expect: eax=0x123456ff ecx=0x11223300 cf=0 zf=1
;
; The SDM's opcode map leaves D6 reserved, but processors execute it outside 64-bit mode:
; the host CPU does (the native oracle, an AMD EPYC of family 25 model 17, gives these
; values), as does Unicorn; the flags stay those of the CMP before it. Found by
; `conformance fuzz --random-bytes`: the VMM raised #UD.
    stc
    .byte 0xd6
    xchg eax, ecx
    cmp eax, eax
    .byte 0xd6
    xchg eax, ecx
