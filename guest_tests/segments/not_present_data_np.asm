; Loading a not-present data segment is #NP(selector); the privilege check comes first
; mode: pm32
; on-exception: resume
; gdt: 10=0x00cf12000000ffff 11=0x00cf72000000ffff 12=0x00cf92000000ffff
; data: 0x18000 dd 0x600d
; expect: ds=0x10 es=0x10 fs=0x10 gs=0x60 eax=0x600d
; expect-exceptions: 11/0x50@l1 11/0x50@l2 13/0x50@l3 11/0x58@l4
;
; Slot 10 (0x50): read/write data, DPL 0, P = 0.  Slot 11 (0x58): the same with DPL 3.
; Slot 12 (0x60): present read/write data, DPL 0.
; SDM vol. 2 MOV (protected mode): first #GP(selector) if the segment is not data / readable
; code or (RPL > DPL or CPL > DPL); then #NP(selector) if it is not present.
;   l1 DS <- 0x50              -> #NP(0x50)
;   l2 ES <- 0x50              -> #NP(0x50)
;   l3 FS <- 0x53: RPL 3 > DPL 0 -> #GP(0x50), before the present check
;   l4 FS <- 0x5b: RPL 3 = DPL 3 passes, P = 0 -> #NP(0x58)
;   GS <- 0x60 loads; the faulted loads left DS (used for the final read) unchanged.
    mov ax, 0x50
l1:
    mov ds, ax
l2:
    mov es, ax
    mov ax, 0x53
l3:
    mov fs, ax
    mov ax, 0x5b
l4:
    mov fs, ax
    mov ax, 0x60
    mov gs, ax
    mov eax, [0x18000]
