; Real mode INT n through a test-installed IVT entry: the IP, CS, FLAGS frame and IRET
; mode: real16
; expect: cx=0 dx=0x1000 si=0x0893 di=0x0893 ax=0x08d2 esp=0xfff0
; expect-exceptions: none
;
; IVT entry 0x60 (linear 0x180) is set to 0x1000:handler. INT 0x60 pushes FLAGS, CS, IP
; (SP 0xfff0 -> 0xffea) and clears IF, TF and AC (already clear here).
; The handler reads the frame: IP = after (CX - after = 0), CS = 0x1000, FLAGS = 0x0893
; (CF, bit 1, AF, SF, OF as set by POPF), and its own FLAGS are the same 0x0893.
; It edits the saved FLAGS (sets ZF, clears CF): after IRET, FLAGS = 0x08d2.
    jmp start
handler:
    mov bp, sp
    mov cx, [bp]
    mov dx, [bp+2]
    mov si, [bp+4]
    pushf
    pop di
    or word ptr [bp+4], 0x0040
    and word ptr [bp+4], 0xfffe
    iret
start:
    xor ax, ax
    mov es, ax
    mov word ptr es:[0x180], handler
    mov word ptr es:[0x182], 0x1000
    push word 0x0893
    popf
    int 0x60
after:
    pushf
    pop ax
    sub cx, after
