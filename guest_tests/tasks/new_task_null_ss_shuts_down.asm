; A task switch to a TSS whose SS is null shuts down: the #TS is raised in the new task as at CPL 3, and the stack it needs, the new TSS's SS0, is null too
; mode: pm32
; gdt: 10=0x0000890184000067
; expect: exit=triple-fault
; | The new TSS (GDT slot 10, selector 0x50, base 0x18400) is all zeros: CR3 0, EIP 0,
; | every selector null. SDM vol. 3A 7.3: the switch commits (TR, the busy bits, TS),
; | then loads the new task's state; "any errors associated with the loading and
; | qualification of segment descriptors in this step occur in the context of the new
; | task". SS is checked first, and a null SS is #TS(0) (table 7-1). That #TS cannot be
; | taken on the new task's stack, which is not loaded: it is delivered as from CPL 3,
; | through a stack switch to the new TSS's SS0:ESP0 (Bochs does the same in
; | cpu/tasking.cc, setting CPL to 3 until SS is valid), and SS0 is null: #TS again while
; | delivering it, then #DF, whose delivery needs the same stack, so the processor shuts
; | down. Unicorn delivers the first #TS to the handler on the old stack (listed in
; | conformance/divergences.toml); found by conformance fuzz.
    ljmp 0x50:0
