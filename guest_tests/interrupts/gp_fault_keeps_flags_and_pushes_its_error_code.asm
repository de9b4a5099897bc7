; A fault leaves EFLAGS as its instruction found them, and the frame holds the error code
; mode: pm32
; regs: eax=0x40 ebx=0x123b
; on-exception: resume
; expect: eax=0x11 ecx=0x7 ds=0x10 cf=1 pf=1 af=0 zf=0 sf=0 of=0
; expect: mem32[0x1ffe0]=0x1238 mem32[0x1ffe8]=0x8
; expect-exceptions: 13/0x1238@load
;
; | Worked from the Intel SDM:
; | ADD AL, 0xD1 with AL = 0x40 (vol. 2 ADD): 0x40 + 0xD1 = 0x111, so AL = 0x11 and CF = 1;
; | PF = 1 (0x11 has two bits set); AF = 0 (0x0 + 0x1 carries nothing out of bit 3);
; | ZF = SF = 0; OF = 0 (a positive and a negative operand cannot overflow).
; | MOV DS, BX with BX = 0x123B (vol. 2 MOV, protected mode): index 0x247 is beyond the GDT's
; | limit (32 entries, 0xFF), so #GP(selector); the error code is the selector with its RPL
; | bits replaced by EXT = 0 and IDT = 0 (vol. 3A 6.13): 0x1238. DS keeps 0x10.
; | A fault is reported with the state before the instruction (vol. 3A 6.5), so the frame
; | (CPL 0, no stack switch, ESP 0x1FFF0; vol. 3A figure 6-4) holds EFLAGS = 0x7 (CF, PF and
; | bit 1) at 0x1FFEC, CS = 0x08 at 0x1FFE8, EIP at 0x1FFE4 (which the harness's handler moves
; | past the MOV to resume) and the error code at 0x1FFE0. IRET restores EFLAGS = 0x7, which
; | PUSHF then stores (RF is never copied by PUSHF): ECX = 0x7.
    add al, 0xd1
load:
    mov ds, bx
    pushf
    pop ecx
