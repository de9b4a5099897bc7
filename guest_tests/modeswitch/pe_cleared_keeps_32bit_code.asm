; Clearing CR0.PE in 32-bit code: until CS is reloaded, real mode runs at the cached D bit
; mode: pm32
; data: 0x18000 dd 0xcafef00d
; expect: eax=0x12345678 edx=0xcafef00d ecx=0x10 esp=0x1ffec mem32[0x1ffec]=0x89abcdef
; expect: cs=0x8
; expect-exceptions: none
;
; SDM vol. 3A 3.4.5: the D flag of the code segment in CS sets the default operand and
; address size; 9.9.2: the far JMP after the MOV CR0 that clears PE is what loads a
; real-mode CS, and until then the descriptor cache keeps the 32-bit segment. So the
; instructions after the MOV CR0 decode as 32-bit code (as in Bochs and QEMU):
;   b8 78 56 34 12   mov eax, 0x12345678 (as 16-bit code: mov ax, 0x5678; xor al, 0x12)
;   8b 15 00 80 01 00  mov edx, [0x18000] (a 32-bit address; as 16-bit code, [di] and a
;                    stray add)
;   68 ef cd ab 89   push 0x89abcdef: SS keeps its cached B bit too, ESP 0x1fff0 -> 0x1ffec
; ECX = CR0 & 0x11 after the switch: ET (bit 4) kept, PE clear.
    mov eax, cr0
    and eax, -2
    mov cr0, eax
    mov eax, 0x12345678
    mov edx, dword ptr [0x18000]
    push 0x89abcdef
    mov ecx, cr0
    and ecx, 0x11
