; BTS/BTC with a memory operand and register offset address a bit string: offset 35 and offset -1
; mode: pm32
; regs: ecx=35 edi=0xffffffff eflags=0x2
; data: 0x18000 dd 0x00000001 0x00000000 0x00000000
; expect: mem32[0x18000]=1 mem32[0x18004]=0x80000008 mem32[0x18008]=0 bl=0 cf=0 zf=0
    bts dword ptr [0x18000], ecx
    setc bl
    btc dword ptr [0x18008], edi
