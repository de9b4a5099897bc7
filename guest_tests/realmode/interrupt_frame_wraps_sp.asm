; A real-mode interrupt frame pushed at SP = 2 wraps within the stack segment: FLAGS at
; SS:0000, CS at SS:FFFE, IP at SS:FFFC
; mode: real16
; on-exception: resume
; expect: eax=0x0002 ebx=0x1000 ecx=0x0004 esp=0x0002
; expect-exceptions: 3/-@l_after
; | Intel SDM vol. 3A 20.1.4: the processor pushes FLAGS, CS and IP, each a word on the
; | stack, and a push decrements SP by 2 modulo 64 KiB (SP is 16 bits in real mode). SS
; | is the body's segment, 0x1000: FLAGS (0x0002 after the MOVs, which change none) goes
; | over the MOV SP at SS:0000, already run; CS is 0x1000; IP is that of the MOV after
; | INT3: MOV SP, 2 is 3 bytes and INT3 one, so 4. The handler's IRET pops the same
; | words back, SP wrapping upwards.
    mov sp, 2
    int3
l_after:
    mov ax, word ptr ss:[0]
    mov bx, word ptr ss:[0xfffe]
    mov cx, word ptr ss:[0xfffc]
