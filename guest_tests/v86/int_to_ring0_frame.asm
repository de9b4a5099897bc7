; INT n in virtual-8086 mode at IOPL 3 goes through a DPL 3 gate to CPL 0 on the TSS stack, pushing GS, FS, DS, ES, SS, ESP, EFLAGS, CS, IP, nulling the data segments; IRETD returns
; mode: pm32
; data: 0x18000 dd 0 0 0 0 0 0 0 0 0 0 0 0
; compare: 0x18000 48
; expect-exceptions: none
; expect: mem32[0x18000]=0x8fdc mem32[0x18004]=0x1000 mem32[0x18008]=0x23246
; expect: mem32[0x1800c]=0xffea mem32[0x18010]=0x2000 mem32[0x18014]=0x1801 mem32[0x18018]=0x1802
; expect: mem32[0x1801c]=0x1803 mem32[0x18020]=0x1804 mem32[0x18024]=0
; expect: mem32[0x18028]=0x46 mem32[0x1802c]=0
; expect: cs=0x1000 ss=0x2000 es=0x1801 ds=0x1802 fs=0x1803 gs=0x1804 esp=0xffea vm=1 eax=0x77
; | The kernel writes a DPL 3 interrupt gate (0xEE00) for vector 0x90 to 0x08:handler, then
; | IRETDs to virtual-8086 mode at IOPL 3 (EFLAGS 0x23202). There the body sets ZF and PF
; | (XOR) and pushes three words (SP 0xfff0 - 6 = 0xffea), then INT 0x90.
; | SDM vol. 2 INT n, INTERRUPT-FROM-VIRTUAL-8086-MODE: the handler runs on TSS.SS0:ESP0 =
; | 0x10:0x9000 with nine dwords pushed (ESP 0x9000 - 36 = 0x8fdc): EIP (after the INT),
; | CS 0x1000, EFLAGS 0x23246, ESP 0xffea, SS 0x2000, ES, DS, FS, GS. DS, ES, FS and GS
; | are then null (the handler stores the OR of the four: 0). The handler's EFLAGS, read
; | before any instruction of its own changes a flag, is the old one with VM, IF and TF
; | clear: 0x46 once IOPL (still 3) is masked off. The handler keeps the frame (EIP as
; | EIP - the INT's next IP: 0) at 0x18000, sets EAX = 0x77 and IRETDs back to
; | virtual-8086 mode, which pops the data segments again.
    mov eax, handler
    mov word ptr [0x800+0x90*8], ax
    mov word ptr [0x802+0x90*8], 0x08
    mov word ptr [0x804+0x90*8], 0xee00
    shr eax, 16
    mov word ptr [0x806+0x90*8], ax
    push dword 0x1804
    push dword 0x1803
    push dword 0x1802
    push dword 0x1801
    push dword 0x2000
    push dword 0xfff0
    push dword 0x23202
    push dword 0x1000
    push dword v86 - 0x10000
    iretd
handler:
    pushfd
    pop edi
    mov ebx, ds
    mov ecx, es
    or ebx, ecx
    mov ecx, fs
    or ebx, ecx
    mov ecx, gs
    or ebx, ecx
    mov ax, 0x10
    mov ds, ax
    mov dword ptr [0x18024], ebx
    mov dword ptr [0x18000], esp
    mov eax, dword ptr [esp]
    sub eax, after - 0x10000
    mov dword ptr [0x1802c], eax
    and edi, 0xffffcfff
    mov dword ptr [0x18028], edi
    mov esi, 4
copy:
    mov eax, dword ptr [esp+esi]
    mov dword ptr [0x18000+esi], eax
    add esi, 4
    cmp esi, 36
    jb copy
    mov eax, 0x77
    iretd
.code16
v86:
    xor bx, bx
    push ax
    push ax
    push ax
    int 0x90
after:
