; An unmasked divide by zero leaves ST(0) unwritten and sets ZE, ES and B; with CR0.NE = 1 the next waiting x87 instruction (FWAIT) raises #MF, a fault at it; the non-waiting FNSTSW before it does not
; mode: pm32
; | Expectation: by hand from the SDM: vol. 1 8.6 (pending exceptions are taken at the next waiting
; | instruction), 8.7 (#MF with CR0.NE), vol. 2 FDIV (#Z unmasked: the destination unchanged).
; compare: 0x18100 128
; data: 0x18000 dw 0x037b
; expect: exit=exception mem16[0x18100]=0xb084 mem32[0x18130]=0x80000000 mem16[0x18134]=0x3fff
; expect-exceptions: 16/-@pending
    mov eax, cr0
    or eax, 0x20                     ; NE
    mov cr0, eax
    fninit
    fldcw word ptr [0x18000]         ; ZE unmasked
    fldz
    fld1
    fdiv st(0), st(1)                ; 1 / 0: ZE, nothing written
    fnstsw ax                        ; does not wait: no #MF
    mov [0x18100], ax
    fnsave [0x18110]                 ; does not wait either; ST(0) is still 1.0 (at offset 28)
    frstor [0x18110]                 ; nothing pending after FNSAVE: FRSTOR brings ES back
pending:
    fwait
    nop
