; XCHG with a memory dword, between two byte registers, and of 16-bit registers; no flag changes
; mode: pm32
; regs: eax=0x11111111 ebx=0x0000aabb ecx=0x22223333 edx=0x44445555 eflags=0x8d7
; data: 0x18000 dd 0xdeadbeef
; expect: eax=0xdeadbeef mem32[0x18000]=0x11111111 ebx=0x0000bbaa ecx=0x22225555 edx=0x44443333 eflags=0x8d7
    xchg dword ptr [0x18000], eax
    xchg bl, bh
    xchg cx, dx
