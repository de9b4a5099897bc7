; In 16-bit protected-mode code an instruction that ends at 0xFFFF leaves EIP 0x10000, past the 64 KiB code segment's limit: #GP(0) there, no wrap to 0
; mode: pm16
; data: 0x1fffd db 0xbb, 0x01, 0x00
; expect: ebx=1 exit=exception
; expect-exceptions: 13/0@0x10000
;
; | The body is at CS:0 (CS based at 0x10000, limit 0xFFFF); the header puts MOV BX, 1
; | at CS:0xFFFD (linear 0x1FFFD), three bytes ending at 0xFFFF. EIP is a 32-bit register
; | whatever the code size; only a branch wraps its target to the operand size (SDM
; | vol. 2 JMP, Operation). After the MOV, EIP is 0x10000, beyond the segment's limit,
; | and the fetch there raises #GP(0) (SDM vol. 3A 5.3, limit checking; a V86 monitor
; | and KVM on real hardware report the same #GP at offset 0x10000). The 8086's wrap of
; | IP to 0 survives in real-address mode only (realmode/ip_wraps_at_64k.asm). Unicorn
; | checks no limits and runs on at 0x10000 (listed in conformance/divergences.toml);
; | found by conformance fuzz.
    .byte 0xe9, 0xfa, 0xff  # JMP rel16 to 0xFFFD
