; CPL 3 access to a supervisor page: #PF with P = 1 and U/S = 1 (5 read, 7 write)
; mode: user32
; on-exception: resume
; regs: eax=0xaaaaaaaa
; data: 0x18000 dd 0x5eed
; expect: eax=0xaaaaaaaa ebx=0x5eed cr2=0xfffc
; expect-exceptions: 14/5@l1 14/7@l2
;
; The runtime maps pages below 0x10000 supervisor-only (PTE U/S = 0), the rest user.
; SDM vol. 3A 4.6 and 4.7: a user-mode access to a supervisor page is a protection
; violation; error code P = 1, W/R = access, U/S = 1.
;   l1 read [0x8000]          -> #PF(5), CR2 = 0x8000
;   l2 write [0xfffc]         -> #PF(7), CR2 = 0xfffc (the last fault: CR2 at the end)
;   read [0x18000] (user page) works
l1:
    mov eax, [0x8000]
l2:
    mov dword ptr [0xfffc], 1
    mov ebx, [0x18000]
