; ENTER checks the new ESP against the stack limit: #SS(0), nothing pushed, EBP and ESP kept
; mode: user32
; on-exception: resume
; gdt: 10=0x0042f60000000ff0
; data: 0x20ff0 dd 0x11111111 0x22222222 0x33333333 0x44444444
; regs: ebp=0xbb eax=0xa
; expect: ebp=0xbb eax=0x21000 mem32[0x20ffc]=0x44444444 mem32[0x20ff8]=0x33333333
; expect-exceptions: 12/0@here
;
; | Selector 0x53 (GDT slot 10, RPL 3): base 0, limit 0x20FF0 (G = 0), access 0xF6:
; | present, DPL 3, expand-down read/write data, B = 1, so the valid offsets are
; | 0x20FF1-0xFFFFFFFF (SDM vol. 3A 3.4.5.1). ENTER 0x10, 1 with ESP = 0x21000
; | pushes EBP at 0x20FFC and the frame pointer at 0x20FF8 (both valid), then would
; | set ESP = 0x20FF8 - 0x10 = 0x20FE8, which is at or below the limit. SDM vol. 2
; | ENTER: #SS(0) "if the new value in the SP or ESP register is outside the stack
; | segment limit"; a fault leaves EBP, ESP and the stack as they were. The #SS goes
; | to the ring-0 stack, and the handler resumes after ENTER; EAX reads ESP there.
    mov ax, 0x53
    mov ss, ax
    mov esp, 0x21000
here:
    enter 0x10, 1
    mov eax, esp
    mov cx, 0x23
    mov ss, cx
