; BOUND raises #BR (vector 5, a fault) when the index is outside [lower, upper], not when inside
; mode: user32
; data: 0x18000 dd 10 20
; on-exception: resume
; SDM vol. 2 BOUND: signed compare against the two dwords; index 10 and 20 are
; in range (bounds inclusive), 21 and -1 are not. #BR pushes no error code.
; expect-exceptions: 5/-@b3 5/-@b4
; expect: ecx=4 cs=0x1b
    mov eax, 10
    bound eax, qword ptr [0x18000]
    inc ecx
    mov eax, 20
    bound eax, qword ptr [0x18000]
    inc ecx
    mov eax, 21
b3:
    bound eax, qword ptr [0x18000]
    inc ecx
    mov eax, -1
b4:
    bound eax, qword ptr [0x18000]
    inc ecx
