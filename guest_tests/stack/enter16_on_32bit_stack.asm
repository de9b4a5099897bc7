; A 16-bit ENTER on a 32-bit stack pushes through ESP but sets BP only: EBP's upper half stays
; mode: user32
; expect-exceptions: none
; expect: ebx=0x5a5affee ecx=0x1ffde esp=0x1fff0
; | The user32 stack is flat and 32-bit, ESP 0x1fff0. SDM vol. 2 ENTER: "ELSE (*
; | OperandSize = 16 *) Push(BP); FrameTemp := SP" and "BP := FrameTemp[15:0]; SP := SP -
; | AllocSize" (ESP arithmetic, the stack being 32-bit). ENTER 0x10, 0 with a 16-bit
; | operand size: push BP (ESP 0x1ffee), BP = 0xffee with EBP's upper half 0x5a5a kept
; | (EBX 0x5a5affee), ESP 0x1ffee - 0x10 = 0x1ffde (ECX). The host CPU agrees (native
; | oracle).
    mov ebp, 0x5a5a0000
    .byte 0x66, 0xc8, 0x10, 0x00, 0x00
    mov ebx, ebp
    mov ecx, esp
    mov esp, 0x1fff0
