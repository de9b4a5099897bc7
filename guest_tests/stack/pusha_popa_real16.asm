; Real mode PUSHA stores the 16-bit registers with the original SP; POPA reloads only the low halves
; mode: real16
; regs: eax=0x11110001 ecx=0x22220002 edx=0x33330003 ebx=0x44440004 ebp=0x66660006 esi=0x77770007 edi=0x88880008
; expect: eax=0xffff0001 ecx=0xffff0002 edx=0xffff0003 ebx=0xffff0004
; expect: ebp=0xffff0006 esi=0xffff0007 edi=0xffff0008 esp=0xfff0
; expect: mem16[0x1ffee]=1 mem16[0x1ffec]=2 mem16[0x1ffea]=3 mem16[0x1ffe8]=4
; expect: mem16[0x1ffe6]=0xfff0 mem16[0x1ffe4]=6 mem16[0x1ffe2]=7 mem16[0x1ffe0]=8
; | SS base 0x10000: SS:0xFFEE is linear 0x1FFEE. PUSHA order AX CX DX BX SP BP SI DI, SP 0xFFF0 -> 0xFFE0.
; | All registers but ESP are set to 0xFFFFFFFF, then POPA writes AX..DI and leaves the upper halves.
    pusha
    mov eax, 0xffffffff
    mov ecx, eax
    mov edx, eax
    mov ebx, eax
    mov ebp, eax
    mov esi, eax
    mov edi, eax
    popa
