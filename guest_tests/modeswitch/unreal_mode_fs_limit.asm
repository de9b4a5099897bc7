; "Unreal" mode: a 4 GiB limit loaded in protected mode stays in FS after returning to real mode
; mode: real16
; data: 0x18100 dw 0xff 0x600 0
; data: 0x118000 dd 0xfeedface
; expect: cs=0x1000 fs=0x10 dx=0x10 ecx=0xfeedface mem32[0x118004]=0x600d
; expect-exceptions: none
;
; LGDT (pseudo-descriptor at linear 0x18100), CR0.PE = 1, ljmp 0x30 (16-bit code, base
; 0x10000, so offsets are unchanged), FS <- 0x10 (flat data, base 0, limit 4 GiB),
; CR0.PE = 0, ljmp 0x1000:real.
; In real mode FS still has the cached base 0 and limit 0xffffffff (a real-mode segment load
; would only change the selector and base; FS is not reloaded), so 32-bit offsets above
; 0xffff through FS are valid: FS:[0x118000] reads linear 0x118000 and a store lands at
; 0x118004. MOV DX, FS reads the selector 0x10.
    lgdt [0x8100]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    ljmp 0x30:pm
pm:
    mov bx, 0x10
    mov fs, bx
    and eax, 0xfffffffe
    mov cr0, eax
    ljmp 0x1000:real
real:
    mov esi, 0x118000
    mov ecx, fs:[esi]
    mov dword ptr fs:[esi+4], 0x600d
    mov dx, fs
