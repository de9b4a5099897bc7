; ARPL writes its destination back only when it raises the RPL: on a read-only page
; (CR0.WP = 1) the unchanged case runs without a fault, the adjusting one raises #PF(3)
; mode: pm32-paged
; on-exception: resume
; regs: eax=0x10 ebx=0x1b
; data: 0x20000 dw 0x11
; expect: mem16[0x20000]=0x11 esi=0 edi=0x20000
; expect-exceptions: 14/3@l_adjust
; | SDM vol. 2, ARPL Operation: IF DEST[RPL] < SRC[RPL] THEN ZF := 1, DEST[RPL] := SRC[RPL]
; | ELSE ZF := 0; the destination is written only in the first case. Page 0x20 is made
; | read-only (PTE at 0x7080, R/W cleared) with CR0.WP = 1 (SDM vol. 3A 4.6.1).
; | arpl [0x20000], ax: the word's RPL 1 >= AX's 0: nothing written, no fault, ZF = 0 (ESI).
; | arpl [0x20000], bx: RPL 1 < BX's 3: the write of 0x13 faults, P = 1, W/R = 1, U/S = 0
; | = 3, CR2 = 0x20000 (EDI), and the word stays 0x11.
    and dword ptr [0x7080], 0xfffffffd
    mov ecx, cr0
    or ecx, 0x10000
    mov cr0, ecx
    invlpg [0x20000]
    arpl word ptr [0x20000], ax
    setz cl
    movzx esi, cl
l_adjust:
    arpl word ptr [0x20000], bx
    mov edi, cr2
