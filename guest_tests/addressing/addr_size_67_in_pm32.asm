; Address-size prefix 0x67 in 32-bit code: 16-bit ModRM forms, offsets wrap at 64 KiB
; mode: pm32
; regs: ebx=0x12348000 esi=0x10 edi=0x8024
; data: 0x18010 dd 0xcafef00d 0x0badbeef
; expect: eax=0xcafef00d ecx=0x0badbeef edx=0x8020 ds=0x38
; expect-exceptions: none
;
; DS = 0x38: 16-bit data segment, base 0x10000, limit 0xffff.
; With 0x67 only the low 16 bits of the registers take part (BX = 0x8000, SI = 0x10):
;   [bx+si]           0x8010 -> linear 0x18010
;   [bx+di+0x7ff0]    0x8000 + 0x8024 + 0x7ff0 = 0x18014, truncated to 0x8014 -> linear 0x18014
;   lea edx, [bx+si+0x10]  32-bit operand, 16-bit address: 0x8020 zero-extended
    mov ax, 0x38
    mov ds, ax
    mov eax, [bx+si]
    mov ecx, [bx+di+0x7ff0]
    lea edx, [bx+si+0x10]
