; A non-reversible DS: the kernel loads a DPL 3 selector, rewrites that descriptor's base in the GDT and IRETDs to user mode; the user reads through the old base until it reloads DS
; mode: pm32-paged
; gdt: 10=0x0040f2018000ffff
; data: 0x18010 dd 0x0001d01d
; data: 0x19010 dd 0x0002e02e
; expect-exceptions: none
; expect: eax=0x0001d01d ebx=0x0002e02e ecx=0x0001d01d ds=0x53 es=0x23 cs=0x1b ss=0x23 esp=0x1f000
; expect: mem16[0x652]=0x9000 mem8[0x654]=0x01 mem8[0x655]=0xf3
; | GDT slot 10 (selector 0x50, 0x53 with RPL 3): base 0x18000, limit 0xffff, byte granular,
; | 32-bit, access 0xf2 (present, DPL 3, writable data).
; | The kernel loads DS = 0x53; the load caches base 0x18000 in DS's hidden part and sets
; | the descriptor's accessed bit (access 0xf3; SDM vol. 3A 3.4.3, 3.4.5.1). Through ES
; | (0x10, flat) it then writes base bits 15:0 = 0x9000 at 0x652: the descriptor now says
; | base 0x19000, but DS is not reloaded, so its hidden base stays 0x18000.
; | IRETD to CPL 3 (SDM vol. 2 IRET, return to outer privilege level): DS is nulled only if
; | its DPL < the new CPL; DPL 3 keeps DS, with its hidden part unchanged.
; | User: [ds:0x10] reads linear 0x18010 (eax = 0x1d01d); MOV DS, AX from DS re-reads the
; | descriptor: base 0x19000, [ds:0x10] = linear 0x19010 (ebx = 0x2e02e). ECX reads linear
; | 0x18010 through ES = 0x23 (flat) to show the old data is still there.
    mov ax, 0x53
    mov ds, ax
    mov word ptr es:[0x652], 0x9000
    mov ax, 0x23
    mov es, ax
    mov fs, ax
    mov gs, ax
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd

user:
    mov eax, dword ptr [0x10]
    mov dx, ds
    mov ds, dx
    mov ebx, dword ptr [0x10]
    mov ecx, dword ptr es:[0x18010]
