; CPL 0 writes to a read-only page succeed with CR0.WP = 0 and fault #PF(3) with CR0.WP = 1
; mode: pm32-paged
; on-exception: resume
; expect: mem32[0x20000]=0x1111 mem32[0x20004]=0 mem32[0x20008]=0x3333
; expect: ebx=0x20004 ecx=0x10000 edx=0 mem32[0x7080]=0x20065
; expect-exceptions: 14/3@l_wp
;
; Page 0x20's PTE (0x7080) goes from 0x20007 to read-only 0x20005.
; SDM vol. 3A 4.6.1: supervisor writes to a read-only page are allowed if CR0.WP = 0 and are
; a protection violation if CR0.WP = 1: error code P = 1, W/R = 1, U/S = 0 = 3.
; INVLPG after each CR0 change so no cached translation is in question.
; After the allowed write the PTE has A and D set: 0x20005 | 0x60 = 0x20065.
; ECX / EDX: CR0.WP read back after setting and after clearing it.
    and dword ptr [0x7080], 0xfffffffd
    invlpg [0x20000]
    mov dword ptr [0x20000], 0x1111
    mov eax, cr0
    or eax, 0x10000
    mov cr0, eax
    invlpg [0x20000]
    mov ecx, cr0
    and ecx, 0x10000
l_wp:
    mov dword ptr [0x20004], 0x2222
    mov ebx, cr2
    and eax, 0xfffeffff
    mov cr0, eax
    invlpg [0x20000]
    mov edx, cr0
    and edx, 0x10000
    mov dword ptr [0x20008], 0x3333
