; A store through a CS override is #GP(0): a code segment is never writable in protected mode
; mode: pm32
; on-exception: resume
; regs: eax=0x55
; compare: 0x18000 4
; expect: mem32[0x18000]=0
; expect-exceptions: 13/0@l0 13/0@l1 13/0@l2
;
; | Intel SDM vol. 2 MOV and ADD, Protected Mode Exceptions: "#GP(0) If the destination
; | is located in a non-writable segment"; vol. 3A 3.4.5.1: code segments are execute
; | (and read) only. CS is the runtime's flat code segment, so CS:0x18000 is the same
; | byte as DS:0x18000, which stays 0: nothing is written by the MOV, nor by the ADD and
; | the INC (read-modify-writes). The host CPU agrees (native oracle); Unicorn checks no
; | segment types and writes (listed in conformance/divergences.toml); found by
; | conformance fuzz.
l0: mov byte ptr cs:[0x18000], al
l1: add byte ptr cs:[0x18000], al
l2: inc dword ptr cs:[0x18000]
