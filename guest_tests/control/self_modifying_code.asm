; A store into an instruction that already ran changes what runs the next time round
; mode: pm32
; expect: eax=5 ebx=6 ecx=0
; | first pass: mov eax, 1 runs, then its immediate byte (patch+1) becomes 5
; | second pass: mov eax, 5 runs; ebx = 1 + 5
    mov ecx, 2
again:
patch:
    mov eax, 1
    add ebx, eax
    mov byte ptr [patch + 1], 5
    dec ecx
    jnz again
