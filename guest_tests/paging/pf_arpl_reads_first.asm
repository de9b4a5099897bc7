; ARPL reads its destination before it decides to write it: on a not-present page both
; the adjusting and the unchanged case fault as a read, #PF error code 4 at CPL 3
; mode: user32
; on-exception: resume
; regs: eax=0x13 ebx=0x1b
; expect: eax=0x13 ebx=0x1b cr2=0x700000
; expect-exceptions: 14/4@l_unchanged 14/4@l_adjust
; | SDM vol. 2, ARPL Operation: the destination is read, compared, and written only when
; | its RPL is raised, so the access that faults is the read: P = 0, W/R = 0, U/S = 1 = 4
; | (a read-modify-write such as ADD gives 6, see pf_read_modify_write_is_a_write). The
; | host CPU (native oracle) and Unicorn give 4 for both. Linear 0x700000 is not mapped.
l_unchanged:
    arpl word ptr [0x700000], ax
l_adjust:
    arpl word ptr [0x700000], bx
