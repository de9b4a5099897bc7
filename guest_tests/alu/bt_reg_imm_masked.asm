; BT/BTS/BTR/BTC on a register: CF gets the old bit, an immediate offset is taken modulo 32; ZF is not touched
; mode: pm32
; regs: eax=0x20 esi=3 edx=0 eflags=0x42
; expect: bl=1 bh=0 cl=1 esi=1 edx=0x80000000 eax=0x20 cf=1 zf=1
    bt eax, 5
    setc bl
    bts edx, 63
    setc bh
    btr esi, 33
    setc cl
    btc edx, 0
    btc edx, 0
