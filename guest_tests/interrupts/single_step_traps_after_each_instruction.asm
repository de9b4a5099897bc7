; With TF set, #DB (a trap) follows every instruction that began with TF set: not the
; POPF that sets TF, but the POPF that clears it; DR6.BS records it
; mode: pm32
; on-exception: resume
; expect: eax=1 ebx=2 ecx=0x4000 edx=0
; expect-exceptions: 1/-@l2 1/-@l3 1/-@l4 1/-@l5 1/-@l6
; | SDM vol. 3A 17.3.1.4: the single-step exception is a trap taken after an instruction
; | that executes with TF = 1; not after the instruction that sets TF (the POPF at l1),
; | and a POPF that clears TF (l5) began with it set, so it traps too. The processor
; | clears TF entering the handler; the runtime's handler returns with IRETD, which
; | restores TF = 1 from the frame. DR6.BS (bit 14) is set (ECX). EDX: TF after l5.
    pushfd
    or dword ptr [esp], 0x100
l1:
    popfd
    nop
l2:
    mov eax, 1
l3:
    pushfd
l4:
    and dword ptr [esp], 0xfffffeff
l5:
    popfd
l6:
    mov ebx, 2
    mov ecx, dr6
    and ecx, 0x4000
    pushfd
    pop edx
    and edx, 0x100
