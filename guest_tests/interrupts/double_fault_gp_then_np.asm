; A #GP whose IDT gate is not present raises #NP while delivering it: two contributory faults make a #DF
; mode: pm32
; on-exception: stop
; expect: exit=exception
; expect-exceptions: 8/0@bad
; | The IDT gate of vector 13 at 0x800 + 13*8 loses its present bit (byte 5, 0x86d).
; | MOV DS, 0x55 -> #GP(0x50); delivering it finds gate 13 not present -> #NP(13*8+2+1);
; | #GP then #NP are both contributory (SDM vol. 3A table 6-5) -> #DF with error code 0,
; | delivered through gate 8, which logs it. Intel CPUs save the faulting instruction's
; | CS:EIP for #DF (the SDM calls it undefined); the log records bad.
    and byte ptr [0x86d], 0x7f
    mov ax, 0x55
bad:
    mov ds, ax
