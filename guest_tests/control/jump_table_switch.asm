; A switch through a jump table, JMP [table + ECX*4], with an unsigned bounds check ending the walk
; mode: pm32
; data: 0x18010 db 2 0 3 1 0xff
; expect: eax=0xcadb esi=0x18015 ecx=0xff
; | indices 2 0 3 1 select cases C A D B; each shifts EAX left 4 and ORs its digit; 0xFF > 3 (JA) stops
    mov dword ptr [0x18000], case0
    mov dword ptr [0x18004], case1
    mov dword ptr [0x18008], case2
    mov dword ptr [0x1800c], case3
    mov esi, 0x18010
    mov eax, 0
next:
    movzx ecx, byte ptr [esi]
    inc esi
    cmp ecx, 3
    ja done
    shl eax, 4
    jmp dword ptr [0x18000 + ecx*4]
case0:
    or eax, 0xa
    jmp next
case1:
    or eax, 0xb
    jmp next
case2:
    or eax, 0xc
    jmp next
case3:
    or eax, 0xd
    jmp next
done:
