; RDPMC on a CPU with no performance counters: #GP(0) for every counter number, at CPL 0
; mode: pm32
; on-exception: resume
; regs: eax=0x1111 edx=0x2222
; expect: eax=0x1111 edx=0x2222
; expect-exceptions: 13/0@first 13/0@second
; | Intel SDM vol. 2 RDPMC: #GP(0) if ECX does not specify a valid counter. The modelled
; | CPU has none (the README's CPU model; CPUID reports no leaf 0AH), so counter 0 is as
; | invalid as 3, even at CPL 0 where the instruction is allowed; EDX:EAX keep their values.
    xor ecx, ecx
first:
    rdpmc
    mov ecx, 3
second:
    rdpmc
