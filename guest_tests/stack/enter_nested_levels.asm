; ENTER with nesting levels 1, 2 and 3 builds the display of outer frame pointers; three LEAVEs unwind it
; mode: pm32
; regs: ebp=0x5555
; expect: ebx=0x1ffe0 ecx=0x1ffec edx=0x1ffd0 esi=0x1ffdc edi=0x1ffc0 eax=0x1ffcc
; expect: ebp=0x5555 esp=0x1fff0
; expect: mem32[0x1ffec]=0x5555 mem32[0x1ffe8]=0x1ffec
; expect: mem32[0x1ffdc]=0x1ffec mem32[0x1ffd8]=0x1ffec mem32[0x1ffd4]=0x1ffdc
; expect: mem32[0x1ffcc]=0x1ffdc mem32[0x1ffc8]=0x1ffec mem32[0x1ffc4]=0x1ffdc mem32[0x1ffc0]=0x1ffcc
; | SDM ENTER: push EBP; FrameTemp=ESP; repeat level-1 times {EBP-=4; push [EBP]}; if level>0 push FrameTemp;
; | EBP=FrameTemp; ESP-=size.
; | enter 8,1: push 0x5555 @1FFEC; FT=1FFEC; push 1FFEC @1FFE8; EBP=1FFEC; ESP=1FFE0
; | enter 4,2: push 1FFEC @1FFDC; FT=1FFDC; EBP=1FFE8, push [1FFE8]=1FFEC @1FFD8; push 1FFDC @1FFD4;
; |            EBP=1FFDC; ESP=1FFD0
; | enter 0,3: push 1FFDC @1FFCC; FT=1FFCC; EBP=1FFD8, push [1FFD8]=1FFEC @1FFC8; EBP=1FFD4,
; |            push [1FFD4]=1FFDC @1FFC4; push 1FFCC @1FFC0; EBP=1FFCC; ESP=1FFC0
; | leave x3: EBP 1FFCC -> 1FFDC -> 1FFEC -> 0x5555, ESP -> 1FFF0
    enter 8, 1
    mov ebx, esp
    mov ecx, ebp
    enter 4, 2
    mov edx, esp
    mov esi, ebp
    enter 0, 3
    mov edi, esp
    mov eax, ebp
    leave
    leave
    leave
