; RETF imm16 to CPL3 releases the parameter bytes on both the CPL0 and the CPL3 stack
; mode: pm32
; expect-exceptions: none
; SDM vol. 2 RET far n, outer privilege: pop EIP, CS; ESP += 8; pop ESP, SS;
; then the new ESP += 8 as well: 0x1f000 + 8.
; expect: cs=0x1b ss=0x23 esp=0x1f008 eax=0x1b
    push dword 0x23
    push dword 0x1f000
    push dword 0x1111
    push dword 0x2222
    push dword 0x1b
    push dword user
    retf 8
user:
    mov eax, cs
