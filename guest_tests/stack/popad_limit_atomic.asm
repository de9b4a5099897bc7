; POPAD with its fifth dword past the SS limit raises #SS(0) and loads no register
; mode: pm32
; on-exception: resume
; gdt: 10=0x0041930000008010
; regs: edi=7 esi=6 ebp=5
; data: 0x18000 dd 0x80 0x81 0x82 0x83 0x84 0x85 0x86 0x87
; expect: edi=7 esi=6 ebp=5 esp=0x18000
; expect-exceptions: 12/0@here
;
; | Selector 0x50 (GDT slot 10): base 0, limit 0x18010 (G = 0, 20-bit limit 0x18010),
; | 32-bit read/write data. POPAD reads SS:0x18000-0x1801F; the dword at 0x18010 ends
; | past the limit. SDM vol. 2 POPA/POPAD: #SS(0) "if the starting or ending stack
; | address is not within the stack segment", before any register is loaded, and a
; | fault leaves ESP as it was. The handler's frame goes below ESP on this stack and
; | its IRET resumes after POPAD with ESP back at 0x18000.
    mov ax, 0x50
    mov ss, ax
    mov esp, 0x18000
here:
    popad
