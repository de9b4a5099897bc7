; Far CALL and far JMP from CPL3 to the DPL-0 code selector 0x08 raise #GP(0x08)
; mode: user32
; on-exception: resume
; SDM vol. 2 CALL/JMP far, non-conforming code: DPL 0 != CPL 3: #GP(selector).
; Nothing is pushed; execution stays at CPL3.
; expect-exceptions: 13/0x8@c1 13/0x8@j1
; expect: ebx=2 esp=0x1fff0 cs=0x1b
c1:
    lcall 0x08:nowhere
    inc ebx
j1:
    ljmp 0x08:nowhere
    inc ebx
    jmp done
nowhere:
    mov eax, 0xbad
done:
    nop
