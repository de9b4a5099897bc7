; PUSHAD whose fifth store is past an expand-down SS limit stores nothing (CPL 3, #SS on the ring-0 stack)
; mode: user32
; on-exception: resume
; gdt: 10=0x0042f60000001003
; data: 0x21000 dd 0x11111111 0x22222222 0x33333333 0x44444444 0x55555555
; regs: eax=0xa ecx=0xc edx=0xd ebx=0xb ebp=0xbb esi=0x51 edi=0xd1
; expect: eax=0x21014 mem32[0x21000]=0x11111111 mem32[0x21004]=0x22222222
; expect: mem32[0x21008]=0x33333333 mem32[0x2100c]=0x44444444 mem32[0x21010]=0x55555555
; expect-exceptions: 12/0@here
;
; | Selector 0x53 (GDT slot 10, RPL 3): base 0, limit 0x21003 (G = 0), access 0xF6:
; | present, DPL 3, expand-down read/write data, B = 1, so the valid offsets are
; | 0x21004-0xFFFFFFFF (SDM vol. 3A 3.4.5.1). PUSHAD with ESP = 0x21014 would store
; | EAX-EBX at 0x21010-0x21004, then the old ESP at 0x21000, below the limit: #SS(0).
; | SDM vol. 2 PUSHA/PUSHAD: #SS(0) if the starting or ending stack address is outside
; | the stack segment limit, so nothing is stored. The fault switches to the ring-0
; | stack from the TSS, so the handler's frame does not land here, and it resumes
; | after PUSHAD with this stack back; EAX reads ESP there.
    mov ax, 0x53
    mov ss, ax
    mov esp, 0x21014
here:
    pushad
    mov eax, esp
    mov cx, 0x23
    mov ss, cx
