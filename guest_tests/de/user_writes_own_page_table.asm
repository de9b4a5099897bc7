; User code edits a PTE through a writable user mapping of the page table itself, then reads and writes through the page it just mapped; the walk sets A, then D, in that PTE
; mode: pm32-paged
; data: 0x28000 dd 0xfeedface 0x0badf00d
; expect-exceptions: none
; expect: eax=0xfeedface ebx=0x0badf00d ecx=0x28027 edx=0x28067 esi=0x7067
; expect: cs=0x1b ss=0x23 esp=0x1f000
; expect: mem32[0x28000]=0xfeedface mem32[0x28004]=0x0badf00d mem32[0x28008]=0x5a5a5a5a
; expect: mem32[0x71c0]=0x28067 mem32[0x7180]=0x7067 mem32[0x6000]=0x7027 mem32[0x70008]=0
; | Kernel part: linear page 0x60 is pointed at the page-table frame 0x7000, user and
; | writable (PTE 0x7180 = 0x7007), and the PTE of page 0x70 (0x71c0) is made not present
; | (0); both are INVLPGed. The PDE (0x7007) is user and writable, so the user can reach
; | the page table at 0x60000: the PTE of linear page 0x70 is the dword at 0x60000 + 4*0x70
; | = 0x601c0 (physical 0x71c0).
; | User part: it writes 0x28007 there (frame 0x28000, U, W, P) and reads 0x70000 and
; | 0x70004 at once, with no INVLPG: no TLB entry can exist for page 0x70, since the
; | user never touched it and its PTE has been not present since the kernel's INVLPG;
; | a TLB entry is never created from a PTE with P = 0 (SDM vol. 3A 4.10.2.3), so a
; | P 0 -> 1 change needs no invalidation (4.10.4.3). The reads see frame 0x28000.
; | SDM 4.8: the access sets A in the PTE: read back through 0x601c0, ecx = 0x28027. Then
; | a write to 0x70008 sets D: edx = 0x28067; the frame holds it (mem 0x28008) and linear
; | 0x70008's old frame 0x70000 is untouched (0).
; | PTE 0x7180 (the user's window on the page table) was written through: A and D,
; | 0x7067 (esi). The PDE gets A (0x7027); D is not used in a PDE that maps a table.
    mov dword ptr [0x7180], 0x7007
    invlpg [0x60000]
    mov dword ptr [0x71c0], 0
    invlpg [0x70000]
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

user:
    mov dword ptr [0x601c0], 0x28007
    mov eax, dword ptr [0x70000]
    mov ebx, dword ptr [0x70004]
    mov ecx, dword ptr [0x601c0]
    mov dword ptr [0x70008], 0x5a5a5a5a
    mov edx, dword ptr [0x601c0]
    mov esi, dword ptr [0x60180]
