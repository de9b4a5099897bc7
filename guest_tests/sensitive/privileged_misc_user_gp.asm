; LMSW, CLTS, INVLPG, WBINVD, RDMSR and MOV from DR7 at CPL3 raise #GP(0)
; mode: user32
; regs: ecx=0x10 eax=0x1111 edx=0x2222
; on-exception: resume
; SDM vol. 2 for each: CPL != 0: #GP(0); nothing changes.
; expect-exceptions: 13/0@a 13/0@b 13/0@c 13/0@d 13/0@e 13/0@f
; expect: eax=0x1111 edx=0x2222 ecx=0x10 cs=0x1b
a:
    lmsw ax
b:
    clts
c:
    invlpg [0x18000]
d:
    wbinvd
e:
    rdmsr
f:
    mov eax, dr7
