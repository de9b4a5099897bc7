; Loading DS, ES, SS with the DPL-0 data selector at CPL3 raises #GP(selector); the registers keep 0x23
; mode: user32
; on-exception: resume
; SDM vol. 2 MOV/POP Sreg: data segment with DPL < CPL (or RPL > DPL): #GP with
; the selector index as error code (RPL bits replaced by the TI/IDT/EXT bits):
; 0x10 and 0x13 both give 0x10. SS needs DPL = RPL = CPL: #GP(0x10).
; expect-exceptions: 13/0x10@l1 13/0x10@l2 13/0x10@l3
; expect: ds=0x23 es=0x23 ss=0x23 cs=0x1b esp=0x1fff0
    mov ax, 0x10
l1:
    mov ds, ax
    mov bx, 0x13
l2:
    mov es, bx
l3:
    mov ss, ax
