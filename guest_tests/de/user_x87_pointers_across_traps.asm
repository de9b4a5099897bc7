; The x87 instruction and data pointers of user code survive the traps around it: a hidden page fault at the FLD, then an emulated CPUID, then FNSTENV
; mode: pm32-paged
; data: 0x18000 dd 0x3f800000
; compare: 0x18100 16
; expect: mem32[0x18100]=0 mem32[0x18104]=0x1b mem32[0x18108]=0x18000 mem32[0x1810c]=0x23
; expect-exceptions: 6/-@done
; | SDM vol. 1 8.1.8: FIP and FCS hold the address of the last non-control x87
; | instruction, FDP and FDS that of its memory operand; FNSTENV (vol. 1 figure 8-9, the
; | 32-bit protected-mode layout) stores FIP at +12, FCS in bits 15:0 of +16 (the opcode
; | in bits 26:16 is left out: Unicorn does not keep it), FDP at +20, FDS at +24. CPUID
; | and FNSTENV are control instructions and leave the pointers alone. So FIP - f = 0,
; | FCS = 0x1b, FDP = 0x18000, FDS = 0x23. On de+bt the FLD's first touch of the data
; | page is a hidden page fault (the backend runs again up to it) and CPUID is emulated
; | by the monitor: the pointers cross both.
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd
user:
    fninit
f:
    fld dword ptr [0x18000]
    xor eax, eax
    cpuid
    fnstenv [0x18200]
    mov eax, [0x18200 + 12]
    sub eax, f
    mov [0x18100], eax
    movzx eax, word ptr [0x18200 + 16]
    mov [0x18104], eax
    mov eax, [0x18200 + 20]
    mov [0x18108], eax
    movzx eax, word ptr [0x18200 + 24]
    mov [0x1810c], eax
    mov ebx, 0x5a
done:
    ud2
