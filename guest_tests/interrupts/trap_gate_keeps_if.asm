; A trap gate (vector 0x81 rewritten to the test's handler, type 0x8F) leaves IF set in the handler
; mode: pm32
; expect-exceptions: none
; SDM vol. 3A 6.12.1.3: a trap gate does not clear IF. Handler: ebx = its
; EFLAGS (0x202, IF still 1), ecx = frame EFLAGS 0x202, esi = frame CS.
; expect: ebx=0x202 ecx=0x202 esi=0x08 edi=0 if=1 esp=0x1fff0
    mov eax, handler
    mov word ptr [0x800+0x81*8], ax
    mov word ptr [0x802+0x81*8], 0x08
    mov word ptr [0x804+0x81*8], 0x8f00
    shr eax, 16
    mov word ptr [0x806+0x81*8], ax
    push dword 0x202
    popfd
    int 0x81
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
