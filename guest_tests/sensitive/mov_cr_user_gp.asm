; MOV to and from CR0, CR3, CR4 at CPL3 raise #GP(0); registers are unchanged
; mode: user32
; regs: eax=0x1234 ebx=0x5678
; on-exception: resume
; SDM vol. 2 MOV (control registers): CPL != 0: #GP(0), both directions.
; expect-exceptions: 13/0@m1 13/0@m2 13/0@m3 13/0@m4 13/0@m5
; expect: eax=0x1234 ebx=0x5678 cs=0x1b
m1:
    mov eax, cr0
m2:
    mov cr0, ebx
m3:
    mov eax, cr3
m4:
    mov cr3, ebx
m5:
    mov eax, cr4
