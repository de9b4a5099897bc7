; CR2 keeps the last #PF's address while the guest leaves the top page of RAM unmapped
; mode: pm32-paged
; on-exception: resume
; expect: ebx=0x300000 cr2=0x300000
; expect-exceptions: 14/0@l_fault
;
; SDM vol. 3A 2.5 and 6.15 (interrupt 14): the processor loads CR2 when it delivers a page
; fault, and at no other time. The PTE of page 0x3ff (linear 0x3ff000, the last page of
; the 4 MiB the runtime maps) is the dword at 0x7000 + 4*0x3ff = 0x7ffc; page 0x300's is at
; 0x7c00. A read of page 0x300 faults, and the code after it runs with page 0x3ff not present:
; nothing may change CR2 from 0x300000 (an oracle that probes an address of that page for
; its own purposes must not leave its fault in CR2).
    mov dword ptr [0x7ffc], 0
    mov dword ptr [0x7c00], 0
    mov eax, cr3
    mov cr3, eax
l_fault:
    mov eax, [0x300000]
    mov ebx, cr2
    mov ecx, 8
l_loop:
    add edx, ecx
    loop l_loop
