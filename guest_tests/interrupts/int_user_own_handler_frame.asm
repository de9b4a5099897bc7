; INT 0x90 from CPL3 through the test's own DPL-3 gate: the ring-0 handler sees SS, ESP, EFLAGS, CS, EIP on the TSS stack
; mode: pm32
; expect-exceptions: none
; At CPL0 the test installs a DPL-3 interrupt gate (0xEE00) for vector 0x90,
; then IRETDs to CPL3 (ESP 0x1f000, EFLAGS 0x202). INT 0x90 switches to
; TSS.SS0:ESP0 = 0x10:0x9000 (SDM vol. 3A 6.12.1): the handler's ESP is
; 0x9000 - 20 = 0x8fec; it reads EIP (edi = EIP - after), CS 0x1b (esi), EFLAGS
; 0x202 (ecx), ESP 0x1f000 (edx), SS 0x23 (ebp), its own EFLAGS 0x2 (ebx) and
; ESP (eax) and IRETDs back to CPL3.
; expect: eax=0x8fec ebx=0x2 ecx=0x202 edx=0x1f000 esi=0x1b edi=0 ebp=0x23
; expect: cs=0x1b ss=0x23 esp=0x1f000 if=1
    mov eax, handler
    mov word ptr [0x800+0x90*8], ax
    mov word ptr [0x802+0x90*8], 0x08
    mov word ptr [0x804+0x90*8], 0xee00
    shr eax, 16
    mov word ptr [0x806+0x90*8], ax
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd
user:
    int 0x90
after:
    jmp done
handler:
    pushfd
    pop ebx
    mov eax, esp
    mov edi, dword ptr [esp]
    sub edi, after
    movzx esi, word ptr [esp+4]
    mov ecx, dword ptr [esp+8]
    mov edx, dword ptr [esp+12]
    movzx ebp, word ptr [esp+16]
    iretd
done:
    nop
