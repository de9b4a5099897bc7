; JECXZ tests all of ECX; JCXZ (0x67 prefix in 32-bit code) tests only CX
; mode: pm32
; regs: ecx=0x00010000
; expect: ebx=9 ecx=0xffff0001
; | ECX=0x10000: jecxz not taken (+1), jcxz taken (skips +2)
; | ECX=0: jecxz taken (skips +4); ECX=0xFFFF0001: jcxz not taken (+8)
    mov ebx, 0
    jecxz s1
    lea ebx, [ebx + 1]
s1:
    jcxz s2
    lea ebx, [ebx + 2]
s2:
    mov ecx, 0
    jecxz s3
    lea ebx, [ebx + 4]
s3:
    mov ecx, 0xffff0001
    jcxz s4
    lea ebx, [ebx + 8]
s4:
