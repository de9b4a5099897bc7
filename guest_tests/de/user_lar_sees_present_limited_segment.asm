; LAR at CPL 3 of a DPL 3 data segment with a limit reads its present bit (de+bt keeps it on bt)
; mode: user32
; gdt: 10=0x004ff1000000ffff
; expect: edx=0x0040f100 ebx=1
;
; Intel SDM vol. 2 LAR: the access rights (bytes 5 and 6 of the descriptor, masked with
; 00FxFF00H) of a data segment whose DPL >= CPL and RPL; ZF = 1. The descriptor is present
; (P = 1: 0xF1), byte-granular with a 1 MiB limit. de+bt's shadow marks a segment with a
; limit not present (the Unicorn backend checks no limits, so loading one must trap), which
; LAR in direct execution would read: user code that can see such a descriptor stays on
; the translator. Found by `conformance fuzz` (de+bt read 0x407100). Bits 19:16 are
; undefined, so the test clears them.
    mov eax, 0x53
    mov edx, 0x5a5a5a5a
    lar edx, eax
    setz bl
    and edx, 0xfff0ffff
