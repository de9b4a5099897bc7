; After editing a PTE, INVLPG (or a CR3 reload) makes the new mapping visible
; mode: pm32-paged
; data: 0x20000 dd 0xaaaa
; data: 0x21000 dd 0xbbbb
; data: 0x22000 dd 0xcccc
; expect: eax=0xaaaa ebx=0xbbbb edx=0xcccc ecx=0x6000
; expect: mem32[0x22004]=0x77 mem32[0x20004]=0 mem32[0x21004]=0 mem32[0x7080]=0x22067
; expect-exceptions: none
;
; Linear page 0x20000 first maps frame 0x20000 (its translation is now cached), then its
; PTE (0x7080) is rewritten to frame 0x21000 and flushed with INVLPG: the same linear
; address reads 0xbbbb. Then it is rewritten to frame 0x22000 and the whole TLB flushed by
; reloading CR3: it reads 0xcccc and a write lands in frame 0x22000.
; SDM vol. 3A 4.10.4.1. The PTE ends with A and D set: 0x22007 | 0x60.
    mov eax, [0x20000]
    mov dword ptr [0x7080], 0x21007
    invlpg [0x20000]
    mov ebx, [0x20000]
    mov dword ptr [0x7080], 0x22007
    mov ecx, cr3
    mov cr3, ecx
    mov edx, [0x20000]
    mov dword ptr [0x20004], 0x77
