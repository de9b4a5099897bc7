; All 16 Jcc conditions under five EFLAGS states loaded by POPFD; a subroutine records which are not taken
; mode: pm32
; expect: ebx=0xaa99 edx=0xa5a6 esi=0x5555 edi=0x5a56 ebp=0x95a5 esp=0x1fff0
; | probe returns EAX with bit n set when condition n is NOT taken (LEA keeps the flags):
; |   0 O, 1 NO, 2 B, 3 AE, 4 E, 5 NE, 6 BE, 7 A, 8 S, 9 NS, 10 P, 11 NP, 12 L, 13 GE, 14 LE, 15 G
; | 0x087 CF PF SF:      taken NO B NE BE S P L LE      -> not taken 0xAA99
; | 0x842 ZF OF:         taken O AE E BE NS NP L LE     -> not taken 0xA5A6
; | 0x002 none:          taken NO AE NE A NS NP GE G    -> not taken 0x5555
; | 0x886 PF SF OF:      taken O AE NE A S P GE G       -> not taken 0x5A56
; | 0x042 ZF:            taken NO AE E BE NS NP GE LE   -> not taken 0x95A5
    push dword 0x87
    popfd
    call probe
    mov ebx, eax
    push dword 0x842
    popfd
    call probe
    mov edx, eax
    push dword 0x2
    popfd
    call probe
    mov esi, eax
    push dword 0x886
    popfd
    call probe
    mov edi, eax
    push dword 0x42
    popfd
    call probe
    mov ebp, eax
    jmp done
probe:
    mov eax, 0
    jo c0
    lea eax, [eax + 0x1]
c0:
    jno c1
    lea eax, [eax + 0x2]
c1:
    jb c2
    lea eax, [eax + 0x4]
c2:
    jae c3
    lea eax, [eax + 0x8]
c3:
    je c4
    lea eax, [eax + 0x10]
c4:
    jne c5
    lea eax, [eax + 0x20]
c5:
    jbe c6
    lea eax, [eax + 0x40]
c6:
    ja c7
    lea eax, [eax + 0x80]
c7:
    js c8
    lea eax, [eax + 0x100]
c8:
    jns c9
    lea eax, [eax + 0x200]
c9:
    jp c10
    lea eax, [eax + 0x400]
c10:
    jnp c11
    lea eax, [eax + 0x800]
c11:
    jl c12
    lea eax, [eax + 0x1000]
c12:
    jge c13
    lea eax, [eax + 0x2000]
c13:
    jle c14
    lea eax, [eax + 0x4000]
c14:
    jg c15
    lea eax, [eax + 0x8000]
c15:
    ret
done:
