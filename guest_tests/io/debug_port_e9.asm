; Bytes written to port 0xE9 form the debug text; reading 0xE9 returns 0xE9
; mode: pm32
; expect-exceptions: none
; expect-debug: OK\n
; expect-ports: 0xe9=0x4f 0xe9=0x4b 0xe9=0xa
; expect: eax=0xe9 edx=0xe9
    mov al, 0x4f
    out 0xe9, al
    mov al, 0x4b
    mov dx, 0xe9
    out dx, al
    mov al, 10
    out 0xe9, al
    xor eax, eax
    in al, dx
