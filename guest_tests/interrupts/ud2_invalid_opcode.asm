; UD2 raises #UD (vector 6, no error code), a fault at UD2; resume continues after it
; mode: pm32
; on-exception: resume
; expect-exceptions: 6/-@ud
; expect: eax=1 ebx=2
    mov eax, 1
ud:
    ud2
    mov ebx, 2
