; #UD whose frame cannot be pushed (#PF), then #DF likewise: shutdown, after the same count on every engine
; mode: pm32-paged
; expect: exit=triple-fault
;
; | ESP = 0x800000 lies beyond the runtime's identity map of 0-4 MiB. UD2 raises #UD;
; | pushing its frame page-faults. SDM vol. 3A table 6-5: #UD is benign, so the #PF is
; | delivered as such; its frame faults too, and a page fault while delivering a page
; | fault is a double fault; the #DF frame cannot be pushed either: shutdown. The
; | engines that promise exact instruction counts are held to one count here (they
; | once retired 47 and 43).
    nop
    nop
    nop
    mov esp, 0x800000
    ud2
