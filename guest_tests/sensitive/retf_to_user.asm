; RETF at CPL0 to a CPL3 selector returns to the outer privilege: pops EIP, CS, ESP, SS and nulls DS/ES/FS/GS
; mode: pm32
; expect-exceptions: none
; SDM vol. 2 RET far, RETURN-TO-OUTER-PRIVILEGE-LEVEL: RPL 3 > CPL 0; pop EIP,
; CS 0x1b, ESP 0x1f000, SS 0x23; ES, FS, GS, DS hold DPL-0 data (DPL < new
; CPL): loaded with null. At CPL3 MOV r, CS shows 0x1b.
; expect: cs=0x1b ss=0x23 esp=0x1f000 eax=0x1b ds=0 es=0 fs=0 gs=0
    push dword 0x23
    push dword 0x1f000
    push dword 0x1b
    push dword user
    retf
user:
    mov eax, cs
