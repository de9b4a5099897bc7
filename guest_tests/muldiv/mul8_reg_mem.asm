; 8-bit MUL writes AX; CF=OF=1 when AH is non-zero (register form), 0 when it is zero (memory form)
; mode: pm32
; regs: eax=0x12345680 ebx=0x02
; data: 0x18000 db 0x0f
; expect: edx=0x12340100 cl=1 ch=1 eax=0x123400f0 cf=0 of=0
    mul bl
    setc cl
    seto ch
    mov edx, eax
    mov al, 0x10
    mul byte ptr [0x18000]
