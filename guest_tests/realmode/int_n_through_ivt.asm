; Real mode INT n, INT3 and INTO go through the IVT; the handler's IRET restores FLAGS and SP
; mode: real16
; on-exception: resume
; expect: cl=1 bx=0xfff0 ax=0x80 df=1 of=1 sf=1 zf=0 af=1 pf=0 cf=0
; expect-exceptions: 0x40/-@after_int 3/-@after_int3 4/-@after_into
;
; The runtime IVT sends every vector to the recording handler, which logs it (real-mode
; interrupts push no error code; the logged IP is the instruction after INT n / INT3 / INTO)
; and returns with IRET, restoring the pushed FLAGS: CF set before INT 0x40 is still set
; after it (SETC CL = 1), and DF stays set throughout.
; 0x7f + 1 = 0x80 sets OF, so INTO raises vector 4; SP is back at 0xfff0 at the end.
    stc
    std
    int 0x40
after_int:
    setc cl
    int3
after_int3:
    mov al, 0x7f
    add al, 1
    into
after_into:
    mov bx, sp
