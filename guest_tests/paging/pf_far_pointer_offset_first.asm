; An indirect far JMP or CALL reads its m16:32 offset before the selector: CR2 = the offset's address
; mode: pm32-paged
; on-exception: resume
; regs: edi=0x800000
; expect: eax=0x800000 ebx=0x800000
; expect-exceptions: 14/0@l_jmp 14/0@l_call
;
; | Linear 0x800000 is beyond the runtime's identity map of 0-4 MiB (PDE 2 not present),
; | so the offset (0x800000) and the selector (0x800004) are both on a missing page.
; | SDM vol. 2 JMP and CALL (far, m16:32): the processor reads the offset at the
; | operand's address and the selector after it; the first access faults, #PF with
; | error code 0 (read, supervisor, not present) and CR2 = 0x800000, not 0x800004.
; | CR2 is read back after each resumed fault (EBX, then EAX after a store that
; | does not fault).
l_jmp:
    ljmp [edi]
    mov ebx, cr2
    mov dword ptr [0x18000], 0
l_call:
    lcall [edi]
    mov eax, cr2
