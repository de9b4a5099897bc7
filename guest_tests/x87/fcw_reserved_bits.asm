; FLDCW keeps the control word's reserved bits as the processor has them: bit 6 reads 1,
; bits 7 and 13-15 read 0
; mode: user32
; data: 0x18000 dw 0x0000 0xffff
; expect: mem16[0x18200]=0x40 mem16[0x18202]=0x1f7f
; | Intel SDM vol. 1 8.1.5, figure 8-6: FCW bits 6, 7 and 13-15 are reserved. FNSTCW after
; | FLDCW 0 stores 0x0040 and after FLDCW 0xFFFF stores 0x1F7F on the host CPU (native
; | oracle): bit 6 set, bits 7 and 13-15 clear whatever was loaded. FNINIT at the end puts
; | the control word back to 0x37F.
    fldcw word ptr [0x18000]
    fnstcw word ptr [0x18200]
    fldcw word ptr [0x18002]
    fnstcw word ptr [0x18202]
    fninit
