; A read-modify-write of a not-present page faults as a write: #PF error code 6 at CPL 3 (a plain read gives 4)
; mode: user32
; on-exception: resume
; regs: eax=0x11 ecx=0 edx=0 ebx=0
; expect: eax=0x11 ecx=0 edx=0 ebx=0 cr2=0x700000
; expect-exceptions: 14/4@l_cmp 14/6@l_inc 14/6@l_add 14/6@l_shl 14/6@l_bts 14/6@l_xchg 14/6@l_cmpxchg8b 14/4@l_bt
; | Linear 0x700000 is beyond the 4 MiB the runtime's page table maps: not present.
; | The page walk of a read-modify-write (INC, ADD, SHL even by a count of 0, BTS, XCHG,
; | CMPXCHG8B, whose locked cycle writes whatever it compares) is done for the write it
; | will make, so the fault reports W/R = 1: error code P = 0, W/R = 1, U/S = 1 = 6. CMP
; | and BT only read: W/R = 0, error code 4 (SDM vol. 3A 4.7, figure 4-12). The host CPU
; | (the native oracle) gives these codes; Bochs checks such accesses as writes too.
l_cmp:
    cmp dword ptr [0x700000], 1
l_inc:
    inc dword ptr [0x700000]
l_add:
    add dword ptr [0x700000], 1
l_shl:
    shl dword ptr [0x700000], cl
l_bts:
    bts dword ptr [0x700000], 3
l_xchg:
    xchg dword ptr [0x700000], eax
l_cmpxchg8b:
    cmpxchg8b qword ptr [0x700000]
l_bt:
    bt dword ptr [0x700000], 3
