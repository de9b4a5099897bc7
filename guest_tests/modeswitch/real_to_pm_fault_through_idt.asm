; After a real-to-protected switch with LIDT of the runtime IDT, a #GP(selector) is delivered
; mode: real16
; data: 0x18100 dw 0xff 0x600 0
; expect: exit=exception ax=0x100 ds=0x38 es=0x38
; expect-exceptions: 13/0x100@l_gp
;
; In real16 the IDTR holds the IVT. The test loads GDTR from the pseudo-descriptor at
; 0x18100 and IDTR from the runtime's own pseudo-descriptor at 0:0x5f8 (IDT at 0x800),
; enters 16-bit protected mode (ljmp 0x30) with DS = ES = SS = 0x38, then loads DS with
; selector 0x100, past the GDT limit 0xff: #GP(0x100) (SDM vol. 2 MOV), delivered through
; the 32-bit interrupt gate to the recording handler, which logs EIP = l_gp (an offset in
; CS 0x30) and stops. The handler restores the interrupted GPRs and DS/ES.
    lgdt [0x8100]
    mov ax, 0
    mov es, ax
    lidt es:[0x5f8]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    ljmp 0x30:pm
pm:
    mov ax, 0x38
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov ax, 0x100
l_gp:
    mov ds, ax
