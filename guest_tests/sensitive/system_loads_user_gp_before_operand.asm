; At CPL 3, LLDT, LTR, LGDT, LIDT and LMSW with a memory operand on a missing page raise #GP(0), not #PF: the privilege check comes before the operand is read
; mode: user32
; on-exception: resume
; regs: edi=0x800000
; expect: ebx=0 cr2=0
; expect-exceptions: 13/0@l0 13/0@l1 13/0@l2 13/0@l3 13/0@l4
;
; | Linear 0x800000 is beyond the runtime's identity map of 0-4 MiB, so reading the
; | operand would be #PF (CR2 = 0x800000). Each instruction is privileged (SDM vol. 2,
; | Protected Mode Exceptions: "#GP(0) If the current privilege level is not 0"), and
; | the processor makes that check before it touches the operand: no #PF is raised
; | and CR2 stays 0 (Unicorn agrees; the VMM read the operand first and raised #PF for
; | LLDT, LTR and LMSW; found by conformance fuzz). Nothing is loaded: STR reads the
; | runtime's TSS selector, unchanged (EBX = 0 below is SLDT's null LDTR).
l0: lldt word ptr [edi]
l1: ltr word ptr [edi]
l2: lgdt [edi]
l3: lidt [edi]
l4: lmsw word ptr [edi]
    sldt ebx
