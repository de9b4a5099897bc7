; Real mode far JMP, far CALL and RETF / RETF imm16 between segments (direct and through memory)
; mode: real16
; expect: ax=0x0fff bx=0x1000 cx=0 dx=0x0fff di=0x0fff si=0x2222 esp=0xfff0 cs=0x1000
; expect-exceptions: none
;
; CS starts at 0x1000 (base 0x10000). ljmp 0x0fff:alias+0x10 reaches the same linear byte
; through CS = 0x0fff (base 0xfff0), so AX = CS = 0x0fff.
; lcall 0x1000:func pushes CS (0x0fff) then IP (back1 + 0x10, an offset in CS 0x0fff):
; func reads them into DX and CX (CX - (back1 + 0x10) = 0) and BX = CS = 0x1000; RETF returns
; to CS 0x0fff (DI).
; Two words are pushed, lcall func2 reads the last one (0x2222) and RETF 4 drops both:
; SP ends at 0xfff0.
; The far pointer at DS:0x8000 (linear 0x18000) is 0x1000:back3 for the indirect ljmp.
    ljmp 0x0fff:alias+0x10
alias:
    mov ax, cs
    lcall 0x1000:func
back1:
    mov di, cs
    push word 0x1111
    push word 0x2222
    lcall 0x1000:func2
back2:
    mov word ptr [0x8000], back3
    mov word ptr [0x8002], 0x1000
    ljmp [0x8000]
    hlt
func:
    mov bx, cs
    mov bp, sp
    mov cx, [bp]
    mov dx, [bp+2]
    retf
func2:
    mov bp, sp
    mov si, [bp+4]
    retf 4
back3:
    sub cx, back1+0x10
