; WRMSR then RDMSR of IA32_SYSENTER_CS/ESP/EIP (MSRs 0x174-0x176) at CPL 0 round-trip their values
; mode: pm32
; expect: eax=0x12345678 edx=0 ebx=0x8 esi=0x9000 ecx=0x176
; | SDM vol. 4 (MSR index): 0x174 SYSENTER_CS, 0x175 SYSENTER_ESP, 0x176 SYSENTER_EIP.
    mov ecx, 0x174
    mov eax, 0x8
    xor edx, edx
    wrmsr
    mov ecx, 0x175
    mov eax, 0x9000
    wrmsr
    mov ecx, 0x176
    mov eax, 0x12345678
    wrmsr
    mov ecx, 0x174
    rdmsr
    mov ebx, eax
    mov ecx, 0x175
    rdmsr
    mov esi, eax
    mov ecx, 0x176
    rdmsr
