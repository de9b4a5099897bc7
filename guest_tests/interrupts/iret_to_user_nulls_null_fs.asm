; A null FS or GS (selector 3) becomes selector 0 when IRET returns to CPL 3
; mode: user32
; on-exception: resume
; expect: fs=0 gs=0 ds=0x23
; expect-exceptions: 128/-@after
; | SDM vol. 2 IRET, return to outer privilege: for each of ES, FS, GS and DS, IF the
; | selector is NULL OR (DPL < CPL AND data or non-conforming code) THEN selector <- 0.
    mov ax, 3
    mov fs, ax
    mov gs, ax
    int 0x80
after:
    nop
