; IRETD from CPL0 to CPL3: pops EIP, CS 0x1b, EFLAGS, ESP, SS 0x23 and nulls DS/ES/FS/GS holding DPL-0 selectors
; mode: pm32
; expect-exceptions: none
; SDM vol. 2 IRET, RETURN-TO-OUTER-PRIVILEGE-LEVEL: RPL 3 > CPL 0, so ESP and SS
; are popped too; then each of ES, FS, GS, DS whose (data) descriptor DPL 0 is
; below the new CPL 3 is loaded with a null selector. At CPL3: mov eax, cs
; gives 0x1b, and DS is reloaded with 0x23 to store a word.
; expect: cs=0x1b ss=0x23 esp=0x1f000 eax=0x1b ebx=0x23 es=0 fs=0 gs=0 ds=0x23 if=1 iopl=0
; expect: mem32[0x18000]=0x600d
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd
user:
    mov eax, cs
    mov bx, 0x23
    mov ds, bx
    mov dword ptr [0x18000], 0x600d
