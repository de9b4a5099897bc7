; a fault whose 32-bit frame would straddle a 16-bit stack's limit cannot be delivered: #SS, then #DF, then shutdown
; mode: pm16
; expect: exit=triple-fault
; | SDM vol. 2 INT n (same privilege, 32-bit gate): each push of the frame is checked
; | against the stack segment's limit, #SS(0) when it fails. SS is the runtime's 16-bit
; | stack segment (B = 0, limit 0xFFFF), so with SP = 2 the first push (EFLAGS) goes to
; | SP - 4 = 0xFFFE, and its dword 0xFFFE-0x10001 is past the limit. #UD is benign, so
; | the #SS is delivered next (vol. 3A table 6-5) and faults the same way: #SS while
; | delivering #SS is a double fault, whose delivery faults again: shutdown (6.15,
; | interrupt 8).
    mov sp, 2
    ud2
