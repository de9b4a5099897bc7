; A null selector loads into DS, ES, FS (any RPL) but MOV SS with a null selector is #GP(0)
; mode: pm32
; on-exception: resume
; expect: ds=0 es=0 fs=3 ss=0x10 ebx=0 ecx=3
; expect-exceptions: 13/0@l_ss3 13/0@l_ss0
;
; SDM vol. 2 MOV: loading a null selector (index 0, TI 0, any RPL) into DS, ES, FS or GS
; is allowed and does not fault; loading SS with a null selector is #GP(0) and SS is unchanged.
    mov ax, 0
    mov ds, ax
    mov es, ax
    mov ax, 3
    mov fs, ax
l_ss3:
    mov ss, ax
    mov ax, 0
l_ss0:
    mov ss, ax
    mov bx, ds
    mov cx, fs
