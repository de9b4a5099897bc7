; At CPL 3, RETF whose stack lies on a supervisor page raises #PF (user read, present) at the RETF: its pops are user-mode accesses
; mode: user32
; on-exception: resume
; regs: ebx=0x1fff0
; expect: ecx=0x100 cr2=0x100
; expect-exceptions: 14/5@l0
;
; | The runtime maps pages below 0x10000 as supervisor. With ESP = 0x100 the RETF reads
; | its EIP at 0x100 and CS at 0x104: a data access at CPL 3, so a user-mode access (Intel
; | SDM vol. 3A 4.6: only the accesses to descriptor tables, the TSS and the like are
; | implicit supervisor-mode accesses), refused on a supervisor page: #PF with error
; | code 5 (present, read, user) and CR2 = 0x100. The fault leaves ESP as it found it
; | (ECX, after the handler resumed).
; | Unicorn reads the far return's stack as the kernel would and goes on to load CS
; | (listed in conformance/divergences.toml); found by conformance fuzz.
    mov esp, 0x100
l0: retf
    mov ecx, esp
    mov esp, ebx
