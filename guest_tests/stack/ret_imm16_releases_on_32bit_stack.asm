; RET imm16 on a 32-bit stack adds the immediate to the whole ESP, carrying past bit 15
; mode: pm32
; regs: esp=0x1ff00
; expect: esp=0x2fbc4 eax=1
; | SDM vol. 2 RET: IF StackAddressSize = 32 THEN ESP <- ESP + SRC. ESP = 0x1FF00 + 4
; | (the popped EIP) + 0xFCC0 = 0x2FBC4.
    mov dword ptr [0x1ff00], target
    mov eax, 0
    ret 0xfcc0
target:
    mov eax, 1
