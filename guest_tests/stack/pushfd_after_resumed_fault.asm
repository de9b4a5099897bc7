; PUSHFD right after the handler resumed from a fault pushes the test's own EFLAGS (IF clear, no RF)
; mode: pm32
; on-exception: resume
; compare: 0x1ffec 4
; expect: mem32[0x1ffec]=0x2 esp=0x1ffec
; expect-exceptions: 6@l0
;
; | UD2 raises #UD; the runtime's handler resumes after it, and PUSHFD stores EFLAGS at
; | 0x1FFEC: 0x00000002, as the test started (IF = 0 in pm32; PUSHF never stores RF,
; | SDM vol. 2 PUSHF). The native oracle stops at each PUSHF to put the test's IF in the
; | image the host pushed; resumed from the fault with RF still set, its breakpoint did
; | not fire and the host's IF = 1 reached memory (found by conformance fuzz).
l0: ud2
    pushfd
