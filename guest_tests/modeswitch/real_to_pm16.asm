; Real mode to 16-bit protected mode: LGDT, CR0.PE = 1, far jump to the 16-bit code selector 0x30
; mode: real16
; data: 0x18000 dd 0x9abcdef0
; data: 0x18100 dw 0xff 0x600 0
; expect: cs=0x30 ds=0x38 es=0x38 ss=0x38 bx=0x30 ecx=1 edx=0x9abcdef0 esp=0xffee
; expect: mem16[0x1ffee]=0x5a5a
; expect-exceptions: none
;
; The real16 stub does not load the GDTR: the test loads it from the pseudo-descriptor at
; DS:0x8100 (linear 0x18100): limit 0xff, base 0x600 (the runtime GDT).
; SDM vol. 3A 9.9.1: set CR0.PE, then a far JMP loads CS from the GDT. Selector 0x30 is a
; 16-bit code segment based at 0x10000, so the body's offsets stay valid.
; In protected mode 0x38 (16-bit data, base 0x10000) is loaded into DS, ES, SS:
; [0x8000] -> linear 0x18000; PUSH uses SP (SS.B = 0): 0xfff0 -> 0xffee, linear 0x1ffee.
; CR0 bit 0 reads back as 1.
    lgdt [0x8100]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    ljmp 0x30:pm16
pm16:
    mov ax, 0x38
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov bx, cs
    mov ecx, cr0
    and ecx, 1
    mov edx, [0x8000]
    push word 0x5a5a
