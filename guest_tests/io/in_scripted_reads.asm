; IN returns the scripted values of a port in order, then all ones; sub-dword IN keeps the upper bits of EAX
; mode: pm32
; port-in: 0x60=0x1c 0x9c
; port-in: 0x1234=0xbeef
; regs: eax=0x11223344 ebx=0 ecx=0 edx=0x1234
; expect-exceptions: none
; IN AL/AX only write AL/AX (SDM vol. 2 IN). Unscripted reads of the bus
; return all ones (README: "Other reads return all ones").
; expect: bl=0x1c cl=0x9c eax=0xffffffff esi=0x112233ff edi=0x1122beef edx=0x1234
; expect-ports: none
    in al, 0x60
    mov bl, al
    in al, 0x60
    mov cl, al
    in al, 0x60
    mov esi, eax
    in ax, dx
    mov edi, eax
    in eax, dx
