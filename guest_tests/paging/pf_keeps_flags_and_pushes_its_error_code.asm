; #PF after a flag-setting CMP: EFLAGS as the faulting store found them, error code 2 on the stack
; mode: pm32-paged
; regs: eax=0
; on-exception: resume
; expect: ecx=0x97 cf=1 pf=1 af=1 zf=0 sf=1 of=0 cr2=0x20000
; expect: mem32[0x1ffe0]=2 mem32[0x1ffe8]=0x8
; expect-exceptions: 14/2@store
;
; | Worked from the Intel SDM:
; | The PTE of page 0x20 (linear 0x20000) is the dword at 0x7000 + 4*0x20 = 0x7080; it is cleared
; | (P = 0) and the TLB entry flushed with INVLPG.
; | CMP EAX, 1 with EAX = 0 (vol. 2 CMP, as SUB): 0 - 1 = 0xFFFFFFFF, so CF = 1 (borrow),
; | AF = 1 (borrow out of bit 3), SF = 1, ZF = 0, OF = 0 (no signed overflow), PF = 1 (the low
; | byte 0xFF has eight bits set): EFLAGS = 0x2 | 0x1 | 0x4 | 0x10 | 0x80 = 0x97.
; | The store to 0x20000 raises #PF with error code 2 (vol. 3A 4.7: P = 0 not present, W/R = 1
; | a write, U/S = 0 at CPL 0) and CR2 = 0x20000; a fault leaves EFLAGS as it found them
; | (vol. 3A 6.5). The frame (CPL 0, ESP 0x1FFF0; vol. 3A figure 6-4) has the error code at
; | 0x1FFE0 and CS = 0x08 at 0x1FFE8. IRET restores EFLAGS = 0x97; PUSHF stores it: ECX = 0x97.
    mov dword ptr [0x7080], 0
    invlpg [0x20000]
    cmp eax, 1
store:
    mov dword ptr [0x20000], 5
    pushf
    pop ecx
