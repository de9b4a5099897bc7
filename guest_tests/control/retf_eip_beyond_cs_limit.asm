; RETF checks the return EIP against the new CS limit: #GP(0) at the RETF, nothing popped
; mode: pm32
; on-exception: resume
; budget: 2000
; data: 0x18000 dd 0x10000 0x30
; expect: esp=0x18000 cs=0x8
; expect-exceptions: 13/0@here
;
; | The far return address at 0x18000: EIP 0x10000, CS 0x30, the runtime's 16-bit code
; | segment at base 0x10000 with limit 0xFFFF, DPL 0 (a return to the same level).
; | SDM vol. 2 RET, RETURN-TO-SAME-PRIVILEGE-LEVEL: "IF the return instruction pointer
; | is not within the limit of the return code segment THEN #GP(0)", before CS and
; | EIP are loaded. The fault is the RETF's, with CS = 0x08 and ESP = 0x18000 kept.
    mov esp, 0x18000
here:
    retf
