; A task switch to a TSS whose EFLAGS has VM starts a virtual-8086 task: its segment registers are loaded as paragraphs, with no descriptor checks, at CPL 3
; mode: pm32
; gdt: 10=0x0000890184000088
; data: 0x18424 dd 0x23002
; data: 0x18428 dd 0x11 0x12 0x13 0x14 0xfff0 0x16 0x17 0x18
; data: 0x18448 dd 0x1801 0x1000 0x2000 0x1802 0x1803 0x1804
; data: 0x18466 dw 0x68
; data: 0x18020 dw 0x4321
; expect-exceptions: none
; expect: cs=0x1000 ss=0x2000 es=0x1801 ds=0x1802 fs=0x1803 gs=0x1804 vm=1 iopl=3
; expect: eax=0x4321 ecx=0x12 esp=0xfff0 edi=0x18
; | The new TSS (base 0x18400, limit 0x88 so that its I/O bitmap at 0x68 - all zero -
; | allows every port below 0x100) holds EFLAGS 0x23002 (VM, IOPL 3), CS:EIP 0x1000:v86,
; | SS:ESP 0x2000:0xfff0, ES 0x1801, DS 0x1802, FS 0x1803, GS 0x1804. SDM vol. 3A 20.2.5:
; | a task switch to a TSS with VM set enters virtual-8086 mode; the selectors are loaded
; | as in real mode. DS:0 is linear 0x18020, which holds 0x4321 (AX).
    mov dword ptr [0x18420], v86 - 0x10000
    ljmp 0x50:0
.code16
v86:
    mov ax, word ptr [0]
