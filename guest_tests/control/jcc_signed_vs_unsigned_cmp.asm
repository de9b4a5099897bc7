; After CMP, JA/JAE/JB/JBE follow the unsigned order and JG/JGE/JL/JLE the signed one (32-, 8- and 16-bit)
; mode: pm32
; regs: eax=0xffffffff ecx=1 edx=0x7fffffff ebx=0x80000000
; data: 0x18000 dd 0xee 0xee 0xee 0xee 0xee
; expect: mem32[0x18000]=0x3c mem32[0x18004]=0x55 mem32[0x18008]=0xc3 mem32[0x1800c]=0x3c mem32[0x18010]=0xc3
; | probe: EDI bit n set when NOT taken: 0 JA, 1 JAE, 2 JB, 3 JBE, 4 JG, 5 JGE, 6 JL, 7 JLE
; | -1 vs 1 (32):          0xFFFFFFFE CF=0 ZF=0 SF=1 OF=0: A AE L LE taken      -> 0x3C
; | 1 vs 1:                0 CF=0 ZF=1 SF=0 OF=0: AE BE GE LE taken             -> 0x55
; | 0x7FFFFFFF vs 0x80000000: 0xFFFFFFFF CF=1 SF=1 OF=1: B BE G GE taken        -> 0xC3
; | AL=0x80 vs BL=0x7F:    0x01 CF=0 SF=0 OF=1: A AE L LE taken                 -> 0x3C
; | CX=1 vs DX=0xFFFF:     0x0002 CF=1 SF=0 OF=0: B BE G GE taken               -> 0xC3
    cmp eax, ecx
    call probe
    mov dword ptr [0x18000], edi
    cmp ecx, ecx
    call probe
    mov dword ptr [0x18004], edi
    cmp edx, ebx
    call probe
    mov dword ptr [0x18008], edi
    mov al, 0x80
    mov bl, 0x7f
    cmp al, bl
    call probe
    mov dword ptr [0x1800c], edi
    mov cx, 1
    mov dx, 0xffff
    cmp cx, dx
    call probe
    mov dword ptr [0x18010], edi
    jmp done
probe:
    mov edi, 0
    ja p0
    lea edi, [edi + 0x1]
p0:
    jae p1
    lea edi, [edi + 0x2]
p1:
    jb p2
    lea edi, [edi + 0x4]
p2:
    jbe p3
    lea edi, [edi + 0x8]
p3:
    jg p4
    lea edi, [edi + 0x10]
p4:
    jge p5
    lea edi, [edi + 0x20]
p5:
    jl p6
    lea edi, [edi + 0x40]
p6:
    jle p7
    lea edi, [edi + 0x80]
p7:
    ret
done:
