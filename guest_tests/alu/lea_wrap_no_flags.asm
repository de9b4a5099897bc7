; LEA computes base + index*scale + disp modulo 2^32 (or 2^16 for a 16-bit destination) and leaves EFLAGS alone
; mode: pm32
; regs: ebx=0xfffffff0 ecx=1 edi=0x12340000 eflags=0x8d7
; expect: eax=4 edx=0x24 edi=0x1234fff7 eflags=0x8d7
    lea eax, [ebx+ecx*4+0x10]
    lea edx, [eax+eax*8]
    lea di, [ebx+ecx*8-1]
