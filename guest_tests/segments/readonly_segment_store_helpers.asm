; SGDT, SIDT and CMPXCHG8B into a read-only data segment raise #GP(0) and store nothing
; mode: pm32
; on-exception: resume
; gdt: 10=0x00cf90000000ffff
; regs: eax=1 edx=2 ebx=3 ecx=4
; data: 0x18000 dd 0x11111111 0x22222222
; expect: mem32[0x18000]=0x11111111 mem32[0x18004]=0x22222222 eax=1 edx=2
; expect-exceptions: 13/0@l_sgdt 13/0@l_sidt 13/0@l_cx8
;
; | Selector 0x50 (GDT slot 10): flat 4 GiB data, access byte 0x90 (present, DPL 0,
; | read-only, not accessed). SDM vol. 2 SGDT/SIDT and CMPXCHG8B, protected-mode
; | exceptions: #GP(0) "if the destination is located in a non-writable segment".
; | CMPXCHG8B writes its operand whether or not it compares equal, so it faults too
; | (EDX:EAX = 2:1 differs from the memory, and stays as it was).
    mov si, 0x50
    mov ds, si
l_sgdt:
    sgdt [0x18000]
l_sidt:
    sidt [0x18000]
l_cx8:
    cmpxchg8b qword ptr [0x18000]
    mov si, 0x10
    mov ds, si
