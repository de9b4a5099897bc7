; Far JMP, far CALL and RETF within CPL0 through selector 0x08
; mode: pm32
; expect-exceptions: none
; SDM vol. 2 CALL far, same privilege: push CS (32-bit slot), push EIP; RETF
; pops them. The callee sees ESP 0x1ffe8, return EIP = back (edx = 0 when
; right), CS 0x08.
; expect: eax=0 ebx=2 ecx=0x1ffe8 edx=0 esi=0x08 esp=0x1fff0 cs=0x08
    ljmp 0x08:target
    mov eax, 0xbad
target:
    lcall 0x08:func
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
