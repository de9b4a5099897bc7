; FNSAVE stores the environment and ST(0)-ST(7) (108 bytes in 32-bit protected mode) and initialises the FPU; FRSTOR of an edited image restores it
; mode: pm32
; | Expectation: by hand from SDM vol. 1 8.1.10 (figure 8-12) and vol. 2 FSAVE (after the store:
; | CW 0x37f, SW 0, TW 0xffff): ST(0) = 1.0 is the first register image, at offset 28. The
; | image's CW is then edited to 0x0f7f before FRSTOR.
; compare: 0x18100 112
; compare: 0x18200 32
; expect: mem32[0x18100]=0xffff0f7f mem32[0x18104]=0xffff3000 mem32[0x18108]=0xffff0fff mem32[0x18120]=0x80000000 mem16[0x18124]=0x3fff mem32[0x18200]=0x037f mem32[0x18204]=0xffff
    fninit
    fldpi
    fld1
    fnsave [0x18100]
    fnstcw [0x18200]
    fnstsw [0x18202]
    mov eax, 0
    fnstenv [0x18300]
    mov ax, [0x18308]
    mov [0x18204], eax               ; the tag word after FNSAVE: all empty
    mov word ptr [0x18100], 0x0f7f   ; restore with round toward zero
    frstor [0x18100]
    fnstcw [0x18208]
    fnstsw [0x1820a]
    fstp tbyte ptr [0x18210]
