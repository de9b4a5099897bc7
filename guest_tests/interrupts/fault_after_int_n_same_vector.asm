; INT 0x0E at CPL 3 through a gate of DPL 0 is #GP; the instruction after it then takes a
; #PF, vector 0x0E too, with EIP just after the INT: a fault of that instruction, not the
; INT again
; mode: user32
; on-exception: resume
; expect-exceptions: 13/0x72@l_int 14/4@l_read
; expect: cr2=0x800000
; | Intel SDM vol. 2 INT n, Protected Mode Exceptions: #GP(error code = vector * 8 + 2 +
; | EXT) if the gate's DPL is less than the CPL: 0x0E * 8 + 2 = 0x72 (EXT = 0, a software
; | interrupt); the runtime's gates are DPL 0. The handler resumes after the INT at the
; | MOV, whose read of 0x800000 is above the 4 MiB the page tables map: #PF, error code
; | P = 0, W/R = 0, U/S = 1 (CPL 3): 4, and CR2 = 0x800000 (SDM vol. 3A 4.7).
l_int:
    int 0x0e
l_read:
    mov eax, dword ptr [0x800000]
