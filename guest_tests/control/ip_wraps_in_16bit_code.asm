; In 16-bit protected-mode code a relative branch wraps IP at 64 KiB: JNO back from IP 2 lands at 0xFFE0, and a JMP from there forward wraps back to IP 2
; mode: pm16
; data: 0x1ffe0 db 0xb8, 0x34, 0x12, 0xe9, 0x1c, 0x00
; expect: eax=0x1234 ebx=1
;
; | The body is at CS:0 (CS based at 0x10000, limit 0xFFFF); the header puts code at
; | CS:0xFFE0 (linear 0x1FFE0): MOV AX, 0x1234 and JMP rel16 +0x1C. SDM vol. 2 Jcc and
; | JMP, Operation: "IF OperandSize = 16 THEN EIP := EIP AND 0000FFFFH". JNO rel8 -0x22
; | (OF is clear) from IP 2: 2 - 0x22 = 0xFFE0. The JMP ends at 0xFFE6: 0xFFE6 + 0x1C =
; | 0x10002, IP 2, where MOV BX, 1 runs and the test ends. Unicorn does not wrap IP
; | (listed in conformance/divergences.toml); found by conformance fuzz.
    .byte 0x71, 0xde
back:
    mov bx, 1
