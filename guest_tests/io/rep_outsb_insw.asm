; REP OUTSB writes ECX bytes from DS:ESI to the port; REP INSW reads ECX words from the port to ES:EDI
; mode: pm32
; data: 0x18000 db 0x61 0x62 0x63
; data: 0x18010 dw 0xaaaa 0xaaaa 0xaaaa
; port-in: 0x60=0x1111 0x2222
; expect-exceptions: none
; DF=0: ESI/EDI step up by the operand size; ECX counts to 0. The third
; word of INSW is unscripted: 0xffff.
; expect-debug: abc
; expect-ports: 0xe9=0x61 0xe9=0x62 0xe9=0x63
; expect: esi=0x18003 edi=0x18016 ecx=0 edx=0x60
; expect: mem16[0x18010]=0x1111 mem16[0x18012]=0x2222 mem16[0x18014]=0xffff
    mov esi, 0x18000
    mov ecx, 3
    mov dx, 0xe9
    rep outsb
    mov edi, 0x18010
    mov ecx, 3
    mov dx, 0x60
    rep insw
