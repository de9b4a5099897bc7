; In real-address mode an instruction that ends at offset 0xFFFF is followed by the one at offset 0: IP wraps at 64 KiB, as on the 8086
; mode: real16
; data: 0x1fffd db 0xbb, 0x01, 0x00
; expect: ebx=1 ecx=1 exit=end
;
; | CS is 0x1000 (base 0x10000) and the body is at offset 0; the header puts MOV BX, 1
; | at 1000:FFFD (linear 0x1FFFD), three bytes ending at offset 0xFFFF. The body jumps
; | there; after the MOV, execution goes on at 1000:0000, the body's start, where BX is
; | now 1 and the JNZ leaves for the end (ECX counts the passes: 1). This is the 8086's
; | behaviour, kept by later processors in real-address mode (a DOS program with an
; | instruction at offset FFFFh runs on at offset 0 on a PC); in protected and
; | virtual-8086 mode the fetch at 0x10000 faults instead
; | (control/eip_past_64k_in_pm16_faults.asm).
    test bx, bx
    jnz done
    inc ecx
    .byte 0xe9, 0xf4, 0xff  # JMP rel16 to 0xFFFD
done:
