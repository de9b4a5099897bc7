; IRETD checks the new EIP against the new CS limit: #GP(0) at the IRETD, nothing popped
; mode: pm32
; on-exception: resume
; budget: 2000
; data: 0x18000 dd 0x10000 0x30 0x202
; expect: esp=0x18000 cs=0x8 if=0
; expect-exceptions: 13/0@here
;
; | The IRETD frame at 0x18000: EIP 0x10000, CS 0x30, EFLAGS 0x202. Selector 0x30 is
; | the runtime's 16-bit code segment at base 0x10000 with limit 0xFFFF, DPL 0, so
; | this is a return to the same privilege level. SDM vol. 2 IRET,
; | RETURN-TO-SAME-PRIVILEGE-LEVEL: "IF tempEIP is not within code segment limits
; | THEN #GP(0)", before EIP, CS and EFLAGS are loaded; 0x10000 > 0xFFFF. The fault
; | is the IRETD's, reported at it with CS = 0x08, ESP = 0x18000 and IF = 0 kept;
; | the handler resumes after it.
    mov esp, 0x18000
here:
    iretd
