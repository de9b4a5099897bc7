; JMP to an available 32-bit TSS switches tasks without nesting: the old task's state goes to its TSS, its busy bit is cleared, the new task's is set, CR0.TS is set, NT stays clear
; mode: pm32
; gdt: 10=0x0000890184000067
; data: 0x18438 dd 0x1f000
; data: 0x18448 dd 0x10 0x08 0x10 0x10 0x10 0x10
; compare: 0x18400 0x68
; compare: 0x700 0x68
; expect-exceptions: none
; expect: eax=0x50 ebx=0x19 ecx=0 edx=0xa1 esi=0x89 edi=0x8b ebp=0x46 esp=0x1f000
; expect: mem32[0x724]=0x2 mem32[0x738]=0x1fff0 mem32[0x73c]=0xb5 mem32[0x74c]=0x8 mem16[0x18400]=0
; expect: cr0=0x19
; | The new TSS (GDT slot 10, selector 0x50, base 0x18400, limit 0x67, type 9) holds EIP =
; | task2 (written by the body), EFLAGS 0x2 (zero here: bit 1 reads as 1), ESP 0x1f000,
; | ES, CS, SS, DS, FS, GS = 0x10, 0x08, 0x10, 0x10, 0x10, 0x10, LDT 0, CR3 0 (paging is
; | off, so CR3 is not loaded). SDM vol. 3A 7.3: JMP saves EIP (the instruction after the
; | JMP), EFLAGS, the general and segment registers in the current TSS (0x700: EIP at
; | 0x20, EFLAGS 0x24, EAX 0x28 ... EDI 0x44, ES 0x48 ... GS 0x5c), clears the old TSS's
; | busy bit (GDT 0x28 access 0x8b -> 0x89), sets the new one's (0x89 -> 0x8b), sets TS
; | (CR0 0x11 -> 0x19), loads TR and the new task's state, leaves NT clear and writes no
; | back link (0x18400 stays 0). Task 2 reads: STR (AX 0x50), CR0 (EBX), the saved EIP
; | minus the label after the JMP (ECX 0), the saved EAX (EDX 0xa1), both access bytes
; | (ESI, EDI) and its EFLAGS (EBP: 0x46, ZF and PF from the SUB); its ESP is 0x1f000.
    mov dword ptr [0x18420], task2
    mov dword ptr [0x18424], 0
    mov eax, 0xa1
    mov ebp, 0xb5
    ljmp 0x50:0
after:
    hlt
task2:
    xor eax, eax
    str ax
    mov ebx, cr0
    mov ecx, dword ptr [0x720]
    sub ecx, after
    mov edx, dword ptr [0x728]
    movzx esi, byte ptr [0x600+0x28+5]
    movzx edi, byte ptr [0x600+0x50+5]
    pushfd
    pop ebp
