; Near (rel32) JMP and Jcc, forward and backward, taken and not taken, across 200-byte gaps
; mode: pm32
; expect: eax=0x111
; | xor: ZF=1; jne bad (near, not taken); je fwd1 (near forward, taken)
; | fwd1: EAX=1, ZF=0; jne back1 (near backward, taken)
; | back1: EAX=0x11; jmp fwd2 (near forward); fwd2: jmp back2 (near backward)
; | back2: EAX=0x111; jmp done (near forward)
    xor eax, eax
    jne bad
    je fwd1
    or eax, 0x10000000
back1:
    add eax, 0x10
    jmp fwd2
    or eax, 0x20000000
    .fill 200, 1, 0x90
fwd1:
    add eax, 1
    jne back1
    or eax, 0x40000000
back2:
    add eax, 0x100
    jmp done
    .fill 200, 1, 0x90
fwd2:
    jmp back2
done:
    jmp finish
bad:
    or eax, 0x80000000
finish:
