; SYSCALL, and LDS/LES with a register operand (AVX's VEX prefixes on a CPU that has AVX), raise #UD on the modelled CPU
; mode: pm32
; on-exception: resume
; regs: eax=0x11 ecx=0x22 edx=0x33
; expect: eax=0x11 ecx=0x22 edx=0x33 esp=0x1fff0
; expect-exceptions: 6@l0 6@l1 6@l2
;
; | The modelled CPU (its CPUID: no AVX, no SYSCALL; README) is an IA-32 processor
; | without those extensions. Intel SDM vol. 2 SYSCALL: not recognized outside 64-bit
; | mode (#UD), and where a processor has it in legacy mode it needs IA32_EFER.SCE = 1,
; | while EFER is 0 here; LDS and LES: "#UD If
; | source operand is not a memory location" (C5 C0 and C4 C0: ModRM with mod = 3).
; | No register changes. Unicorn's CPU has both: it runs SYSCALL and reads C4/C5 as VEX
; | prefixes (listed in conformance/divergences.toml); found by conformance fuzz.
; | Given as bytes, each followed by a label, where the handler resumes.
l0: .byte 0x0f, 0x05
l1: .byte 0xc5, 0xc0
l2: .byte 0xc4, 0xc0
l3: nop
