; JMP to a busy TSS (the current task's own) is #GP(selector) in the old task, which nothing changes
; mode: pm32
; on-exception: resume
; expect-exceptions: 13/0x28@here
; expect: cr0=0x11 mem8[0x62d]=0x8b
; | SDM vol. 2 JMP, TASK-STATE-SEGMENT: "IF TSS descriptor specifies that the TSS is busy
; | or not available THEN #GP(TSS selector)". The runtime's TSS 0x28 is the current task,
; | busy. The fault comes before the switch commits: CR0.TS stays clear, the busy bit
; | (GDT 0x28 access byte at 0x62d) stays set.
here:
    ljmp 0x28:0
