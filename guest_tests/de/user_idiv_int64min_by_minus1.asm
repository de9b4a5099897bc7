; 32-bit IDIV at CPL 3 of EDX:EAX = 0x80000000_00000000 by -1 in memory: the quotient 2^63 overflows, #DE (a fault at the IDIV, taken to the CPL 0 handler)
; mode: pm32-paged
; data: 0x18000 dd 0xffffffff
; expect: exit=exception eax=0 edx=0x80000000 ecx=0xffffffff
; expect-exceptions: 0/-@f
; | SDM vol. 2 IDIV: "IF (temp > 7FFFFFFFH) or (temp < 80000000H) THEN #DE": 2^63 does
; | not fit; #DE is a fault, so EAX and EDX keep the dividend. The kernel loads DS with
; | the user data selector and IRETDs to CPL 3 first, so on de+bt the division runs on the hardware backend (where the host's own
; | 64-bit IDIV of INT64_MIN by -1 would be a divide error in the monitor itself).
    mov ax, 0x23
    mov ds, ax
    mov ecx, 0xffffffff
    mov edx, 0x80000000
    xor eax, eax
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd
user:
    mov ebx, 0x18000
f:
    idiv dword ptr [ebx]
