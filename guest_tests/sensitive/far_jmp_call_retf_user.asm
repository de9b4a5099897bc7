; Far JMP, far CALL and RETF within CPL3; a far JMP through 0x18 (RPL 0) still gives CS 0x1b
; mode: user32
; expect-exceptions: none
; SDM vol. 2 JMP far to a non-conforming segment: RPL <= CPL and DPL = CPL; the
; loaded CS gets RPL = CPL: 0x18 becomes 0x1b. CALL far pushes CS 0x1b.
; expect: eax=0x1b ebx=2 ecx=0x1ffe8 edx=0 esi=0x1b esp=0x1fff0 cs=0x1b
    ljmp 0x18:target
    mov eax, 0xbad
target:
    mov eax, cs
    lcall 0x1b:func
back:
    mov ebx, 2
    jmp done
func:
    mov ecx, esp
    mov edx, dword ptr [esp]
    sub edx, back
    movzx esi, word ptr [esp+4]
    retf
done:
    nop
