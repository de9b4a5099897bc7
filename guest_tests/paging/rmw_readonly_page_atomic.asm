; XADD, CMPXCHG, XCHG and ADD into a read-only page (CR0.WP = 1) fault and change no register or flag
; mode: pm32-paged
; on-exception: resume
; regs: eax=5 ebx=7 ecx=9
; data: 0x20000 dd 5
; expect: eax=5 ebx=7 ecx=9 mem32[0x20000]=5 cf=1 zf=0 sf=1 of=0 pf=0 af=1
; expect-exceptions: 14/3@l_xadd 14/3@l_cmpxchg 14/3@l_xchg 14/3@l_add
;
; | Page 0x20's PTE (0x7080) loses R/W, and CR0.WP = 1, so a CPL 0 write there is a
; | protection violation: #PF, error code 3 (present, write, supervisor). Before the
; | faulting instructions, CMP EBX, ECX (7 - 9 = 0xFFFFFFFE) leaves CF = 1 (borrow),
; | ZF = 0, SF = 1, OF = 0 (no signed overflow), PF = 0 (0xFE has seven bits set) and
; | AF = 1 (7 ^ 9 ^ 0xFE has bit 4 set). SDM vol. 2 XADD, CMPXCHG, XCHG, ADD: a fault
; | leaves the instruction undone, so none of them changes EAX, ECX or the flags
; | (CMPXCHG compares equal, 5 = 5, and would set ZF), and memory keeps 5.
    and dword ptr [0x7080], 0xfffffffd
    mov edx, cr0
    or edx, 0x10000
    mov cr0, edx
    invlpg [0x20000]
    mov edx, 0
    cmp ebx, ecx
l_xadd:
    xadd [0x20000], eax
l_cmpxchg:
    cmpxchg [0x20000], ebx
l_xchg:
    xchg [0x20000], ecx
l_add:
    add [0x20000], ebx
