; A store that rewrites the immediate of the very next instruction is seen when that
; instruction runs (SDM Vol. 3, 11.6: a write to a code location already fetched or
; decoded invalidates it)
; mode: pm32
; expect: eax=0x22 ebx=7
    mov eax, 0
    mov byte ptr [patch + 1], 0x22
patch:
    mov al, 0x11
    mov ebx, 7
