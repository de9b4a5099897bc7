; SYSEXIT to CPL 3 leaves DS, ES, FS and GS as they were, even with DPL 0 selectors
; mode: pm32-paged
; regs: eflags=0x202
; expect: eax=0x10 ebx=0x10 ecx=0x1ff00 esp=0x1ff00 cs=0x1b ss=0x23 ds=0x10 es=0x10 fs=0x10 gs=0x10
;
; Intel SDM vol. 2 SYSEXIT: CS and SS are loaded from IA32_SYSENTER_CS + 16 and + 24; no other
; segment register changes (unlike IRET or RET to an outer level, which null a data segment
; register of DPL < CPL). User code with interrupts on runs in direct execution on de+bt:
; its entry must not null them either. Found by `conformance fuzz` (de+bt had DS..GS = 0).
    mov ecx, 0x174
    mov eax, 0x08
    xor edx, edx
    wrmsr
    lea edx, [user]
    mov ecx, 0x1ff00
    sysexit
user:
    mov eax, ds
    mov ebx, gs
