; Copy-on-write: a user write to a read-only user page faults (error 7); the kernel copies the page to a fresh frame, maps it writable and the retried write lands there
; mode: pm32-paged
; data: 0x40000 dd 0x11111111 0x22222222 0x33333333
; data: 0x40ffc dd 0x99999999
; data: 0x18000 dd 0 0 0
; expect-exceptions: none
; expect: eax=0x22222222 ebx=0xcafe ecx=0x33333333 edx=0x99999999 cr2=0x40004
; expect: cs=0x1b ss=0x23 esp=0x1f000 if=1 df=0
; expect: mem32[0x18000]=1 mem32[0x18004]=0x40004 mem32[0x18008]=7
; expect: mem32[0x40000]=0x11111111 mem32[0x40004]=0x22222222 mem32[0x40008]=0x33333333 mem32[0x40ffc]=0x99999999
; expect: mem32[0x50000]=0x11111111 mem32[0x50004]=0xcafe mem32[0x50008]=0x33333333 mem32[0x50ffc]=0x99999999
; expect: mem32[0x7100]=0x50067 mem32[0x7140]=0x50067
; | The kernel makes page 0x40 read-only for the user (PTE 0x7100 = 0x40005: U, P, W = 0),
; | INVLPGs, installs its #PF handler and IRETDs to CPL 3.
; | The user reads 0x40004 (allowed: eax = 0x22222222; the read-only translation is now
; | cached), then writes 0xcafe there: a write at CPL 3 to a present page with R/W = 0 is a
; | protection #PF (SDM vol. 3A 4.6), error code P=1 | W/R=1 << 1 | U/S=1 << 2 = 7,
; | CR2 = 0x40004.
; | The handler copies the 4 KiB page to the free frame 0x50000 (REP MOVSD through the
; | identity mapping of page 0x50), points PTE 0x7100 at it writable (0x50007), INVLPGs
; | (the read-only translation is cached) and IRETDs: the write runs again through the
; | new frame. Then the user reads 0x40004 (0xcafe) and 0x40008, 0x40ffc (copied values).
; | Frame 0x40000 keeps its original data; frame 0x50000 has the copy with 0xcafe at +4.
; | PTE 0x7100 ends with A and D from the retried write (0x50067); PTE 0x7140 (the
; | kernel's window on frame 0x50000) also got A and D from the copy's writes.
    mov dword ptr [0x7100], 0x40005
    invlpg [0x40000]
    mov eax, pf_handler
    mov word ptr [0x800+14*8], ax
    mov word ptr [0x802+14*8], 0x08
    mov word ptr [0x804+14*8], 0x8e00
    shr eax, 16
    mov word ptr [0x806+14*8], ax
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd

pf_handler:
    pushad
    inc dword ptr [0x18000]
    mov eax, cr2
    mov dword ptr [0x18004], eax
    mov eax, dword ptr [esp+32]
    mov dword ptr [0x18008], eax
    cld
    mov esi, 0x40000
    mov edi, 0x50000
    mov ecx, 1024
    rep movs dword ptr es:[edi], dword ptr [esi]
    mov dword ptr [0x7100], 0x50007
    invlpg [0x40000]
    popad
    add esp, 4
    iretd

user:
    mov eax, dword ptr [0x40004]
    mov dword ptr [0x40004], 0xcafe
    mov ebx, dword ptr [0x40004]
    mov ecx, dword ptr [0x40008]
    mov edx, dword ptr [0x40ffc]
