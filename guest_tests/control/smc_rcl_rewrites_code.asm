; RCL that rewrites the next instruction rotates in the carry it found, once
; mode: pm32
; regs: eax=0x11223344
; expect: eax=0x112233a2 cf=1
;
; | CLC, then RCL byte [patch + 1], 7 on the immediate 0x8B of MOV AL, 0x8B. SDM vol. 2
; | RCL: a 9-bit rotate of CF:operand, count 7 (7 mod 9): CF:byte = 0:1000 1011 rotated
; | left by 7 = 1:1010 0010, so the byte becomes 0xA2 and CF = 1. The store to code
; | about to run is seen by the next fetch (vol. 3A 11.6): MOV AL, 0xA2 runs, and
; | leaves CF = 1 (MOV changes no flag; OF is undefined for a count above 1).
    clc
    rcl byte ptr [patch + 1], 7
patch:
    mov al, 0x8b
