; A user write to a not-present page faults (#PF, error 6); the kernel's handler maps the page, INVLPGs and IRETDs, and the retried write succeeds
; mode: pm32-paged
; data: 0x18000 dd 0 0 0 0xffffffff 0
; expect-exceptions: none
; expect: ebx=0x1234abcd cr2=0x30010 cs=0x1b ss=0x23 esp=0x1f000 if=1
; expect: mem32[0x18000]=1 mem32[0x18004]=0x30010 mem32[0x18008]=6 mem32[0x1800c]=0 mem32[0x18010]=0x1b
; expect: mem32[0x30010]=0x1234abcd mem32[0x70c0]=0x30067
; | The kernel clears the PTE of page 0x30 (0x7000 + 4*0x30 = 0x70c0: not present) and
; | INVLPGs it, installs its own #PF handler (interrupt gate 0x8E, DPL 0: a fault, not
; | INT n, so DPL is not checked) and IRETDs to CPL 3.
; | The user's write to 0x30010 finds P = 0: #PF, CR2 = 0x30010, error code
; | P=0 | W/R=1 (write) << 1 | U/S=1 (CPL 3) << 2 = 6 (SDM vol. 3A 4.7). A fault: the
; | saved EIP is the write itself (EIP - user_store = 0 at 0x1800c), CS 0x1b.
; | The handler maps frame 0x30000 user/writable/present (0x30007), INVLPGs, pops the error
; | code and IRETDs: the write runs again and completes. It ran once (0x18000 = 1).
; | The PTE ends with A and D set by the retried write: 0x30007 | 0x60 = 0x30067 (4.8).
; | The read back gives the value written.
    mov dword ptr [0x70c0], 0
    invlpg [0x30000]
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
    push eax
    inc dword ptr [0x18000]
    mov eax, cr2
    mov dword ptr [0x18004], eax
    mov eax, dword ptr [esp+4]
    mov dword ptr [0x18008], eax
    mov eax, dword ptr [esp+8]
    sub eax, user_store
    mov dword ptr [0x1800c], eax
    mov eax, dword ptr [esp+12]
    mov dword ptr [0x18010], eax
    mov dword ptr [0x70c0], 0x30007
    invlpg [0x30000]
    pop eax
    add esp, 4
    iretd

user:
    mov eax, 0x1234abcd
user_store:
    mov dword ptr [0x30010], eax
    mov ebx, dword ptr [0x30010]
