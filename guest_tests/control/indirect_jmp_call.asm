; Indirect JMP and CALL through a register and through memory (absolute and base+disp)
; mode: pm32
; data: 0x18000 dd 0 0
; expect: edi=0x11 esi=0 edx=0x1fff0 esp=0x1fff0
; expect: mem32[0x18000]=0x10023 mem32[0x18004]=0x10044 mem32[0x1ffec]=0x1003c
; | 0x10000 mov eax,t1 (5); jmp eax (2); 0x10007 or esi,0x100 (6)
; | 0x1000D t1: mov [0x18000],t2 (10); 0x10017 jmp [0x18000] (6); 0x1001D or esi,0x200 (6)
; | 0x10023 t2: mov ebx,f1 (5); call ebx (2); 0x1002A mov [0x18004],f2 (10); 0x10034 mov ecx,0x18000 (5)
; | 0x10039 call [ecx+4] (3) -> return address 0x1003C; mov edx,esp (2); jmp done (2)
; | 0x10040 f1: lea edi,[edi+1] (3); ret; 0x10044 f2: lea edi,[edi+0x10]; ret
    mov eax, t1
    jmp eax
    or esi, 0x100
t1:
    mov dword ptr [0x18000], t2
    jmp dword ptr [0x18000]
    or esi, 0x200
t2:
    mov ebx, f1
    call ebx
    mov dword ptr [0x18004], f2
    mov ecx, 0x18000
    call dword ptr [ecx + 4]
    mov edx, esp
    jmp done
f1:
    lea edi, [edi + 1]
    ret
f2:
    lea edi, [edi + 0x10]
    ret
done:
