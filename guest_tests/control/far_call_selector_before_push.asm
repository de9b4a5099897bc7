; A far CALL checks its selector before it pushes: a null selector is #GP(0) even with no room to push
; mode: pm32-paged
; on-exception: resume
; regs: ds=0x23 es=0x23 fs=0x23 gs=0x23
; expect: esp=0x21000 cs=0x1b
; expect-exceptions: 13/0@l_call
;
; | Page 0x20 (PTE 0x7080) is made not present and the body goes to CPL 3 with ESP =
; | 0x21000, so the CALL's pushes would fault. SDM vol. 2 CALL, far call in protected
; | mode: "IF segment selector in target operand NULL THEN #GP(0)" comes first; the
; | checks of the stack ("IF stack not large enough for a 6-byte return address") and
; | the pushes come after the checks of the new code segment. So the CALL raises
; | #GP(0), not #PF, and leaves ESP and CS as they were.
    and dword ptr [0x7080], 0xfffffffe
    invlpg [0x20000]
    push dword 0x23
    push dword 0x21000
    pushfd
    push dword 0x1b
    push dword user
    iretd
user:
l_call:
    lcall 0x0:target
target:
    nop
