; CPL 3 write to a read-only user page: #PF(7) (reads of it work)
; mode: pm32-paged
; regs: esi=0x12345678
; data: 0x20000 dd 0x5a5a
; expect: exit=exception eax=0x5a5a esi=0x12345678 cr2=0x20000 mem32[0x20000]=0x5a5a
; expect-exceptions: 14/7@l_write
;
; At CPL 0 the PTE of page 0x20 (0x7080, 0x20007) loses R/W (0x20005) and is flushed.
; DS and ES are set to the DPL 3 data selector 0x23 (IRET to CPL 3 would null DPL 0 ones),
; then IRETD to 0x1b:user with SS:ESP = 0x23:0x1fff0 and EFLAGS = 0x2.
; SDM vol. 3A 4.6: user-mode writes need R/W = 1 in every paging entry regardless of
; CR0.WP; error code P = 1, W/R = 1, U/S = 1 = 7.
    and dword ptr [0x7080], 0xfffffffd
    invlpg [0x20000]
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    push dword 0x23
    push dword 0x1fff0
    push dword 0x2
    push dword 0x1b
    push dword user
    iret
user:
    mov eax, [0x20000]
l_write:
    mov dword ptr [0x20000], 0x99
