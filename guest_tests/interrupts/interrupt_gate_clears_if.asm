; An interrupt gate clears IF in the handler; IRETD restores IF from the frame
; mode: pm32
; expect-exceptions: none
; The test's own handler for vector 0x90 (32-bit interrupt gate 0x8E, DPL 0,
; selector 0x08). SDM vol. 3A 6.12.1.3: interrupt gate clears IF (and TF, NT,
; RF, VM); the frame keeps the old EFLAGS 0x202. Handler: ebx = its EFLAGS,
; ecx = frame EFLAGS, esi = frame CS, edi = frame EIP - after (0 when right).
; expect: ebx=0x2 ecx=0x202 esi=0x08 edi=0 if=1 esp=0x1fff0 cs=0x08
    mov eax, handler
    mov word ptr [0x800+0x90*8], ax
    mov word ptr [0x802+0x90*8], 0x08
    mov word ptr [0x804+0x90*8], 0x8e00
    shr eax, 16
    mov word ptr [0x806+0x90*8], ax
    push dword 0x202
    popfd
    int 0x90
after:
    jmp done
handler:
    pushfd
    pop ebx
    mov edi, dword ptr [esp]
    sub edi, after
    movzx esi, word ptr [esp+4]
    mov ecx, dword ptr [esp+8]
    iretd
done:
    nop
