; No single-step trap after a load of SS (its shadow defers it to the next instruction),
; after INT3 (delivery clears TF) or after an instruction that faults
; mode: pm32
; on-exception: resume
; expect: eax=0x10 ebx=7
; expect-exceptions: 1/-@l_movss 1/-@l_int3 3/-@l_nop 1/-@l_ud 6/-@l_ud 1/-@l_end 1/-@l_and 1/-@l_popf 1/-@l_done
; | SDM vol. 3A 6.8.3: MOV SS inhibits interrupts and debug exceptions until the end of
; | the next instruction, so the trap after MOV SS comes after the NOP that follows it
; | (one trap, EIP l_int3). INT3's delivery clears TF; the handler's IRETD restores it,
; | and the trap follows the next instruction, the NOP (EIP l_ud): an interrupt is not
; | itself traced. UD2 faults, which delivers #UD and no trap; the runtime resumes after
; | it with TF set, and the MOV that follows traps (EIP l_end); so do the three that
; | clear TF again, the POPF included.
    pushfd
    or dword ptr [esp], 0x100
    popfd
    mov ax, ss
l_movss:
    mov ss, ax
    nop
l_int3:
    int3
l_nop:
    nop
l_ud:
    ud2
    mov ebx, 7
l_end:
    pushfd
l_and:
    and dword ptr [esp], 0xfffffeff
l_popf:
    popfd
l_done:
    nop
