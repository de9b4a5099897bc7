; Real mode: offsets past 0xffff fault (#GP for data segments, #SS for SS), no wrap
; mode: real16
; on-exception: resume
; regs: ebx=0x10000 ebp=0xffff eax=0x11111111 ecx=0x22222222 edx=0x33333333 esi=0x44444444
; data: 0x1fffe dw 0x5151
; expect: eax=0x11111111 ecx=0x22222222 edx=0x33333333 si=0x5151
; expect-exceptions: 13/-@l1 13/-@l2 12/-@l3
;
; Real-mode segments have a 0xffff limit. SDM vol. 2 MOV, "Real-Address Mode Exceptions":
; #GP if an effective address is outside the CS, DS, ES, FS or GS limit, #SS if outside the
; SS limit. SDM vol. 3, chapter "IA-32 Architecture Compatibility", "Segment Wraparound":
; from the Intel386 on, an operand crossing offset 0xffff in real-address mode raises #GP
; (data segment) or #SS (stack segment) instead of wrapping as on the 8086.
; Real-mode exceptions push no error code.
;   l1  [ebx] with 0x67: offset 0x10000                   -> #GP, EAX unchanged
;   l2  word at DS:0xffff, its second byte is at 0x10000  -> #GP, CX unchanged
;   l3  word at SS:[bp] = 0xffff (BP selects SS)          -> #SS, DX unchanged
;   l4  word at DS:0xfffe fits                            -> SI = 0x5151
l1:
    mov eax, [ebx]
l2:
    mov cx, [0xffff]
l3:
    mov dx, [bp]
l4:
    mov si, [0xfffe]
