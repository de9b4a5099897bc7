; A REP string instruction single-steps one iteration at a time: #DB with EIP on the
; instruction while iterations are left, after it once ECX reaches 0
; mode: pm32
; on-exception: resume
; regs: ecx=3 edi=0x18000 eax=0x41
; expect: ecx=0 edi=0x18003 mem32[0x18000]=0x414141
; expect-exceptions: 1/-@l_rep 1/-@l_rep 1/-@l_rep 1/-@l_after 1/-@l_and 1/-@l_popf 1/-@l_end
; | SDM vol. 3A 6.9 / 17.3.1.4: a repeated string instruction may take an exception or
; | interrupt between iterations, EIP staying on it; with TF set each iteration is
; | followed by the single-step trap. Three iterations: after the first two EIP is
; | l_rep (ECX 2, then 1), after the third l_after. The NOP after POPF traps to l_rep.
    pushfd
    or dword ptr [esp], 0x100
    popfd
    nop
l_rep:
    rep stosb
l_after:
    pushfd
l_and:
    and dword ptr [esp], 0xfffffeff
l_popf:
    popfd
l_end:
    nop
