; A shift of a memory operand by a count of 0 still reads it: #PF on a not-present page
; mode: pm32-paged
; on-exception: resume
; regs: ecx=0
; expect: ebx=0x800000 eax=0x800000
; expect-exceptions: 14/2@l_shl 14/2@l_rol
;
; | Linear 0x800000 is beyond the runtime's identity map (PDE 2 not present). SDM vol. 2
; | SAL/SAR/SHL/SHR and RCL/RCR/ROL/ROR: with a masked count of 0 the flags are left
; | alone, but the destination operand is still fetched, so a not-present page faults.
; | The fetch is the read of a read-modify-write, walked for its write (the host CPU
; | reports W/R = 1 for SHL by a count of 0 at CPL 3: see
; | paging/pf_read_modify_write_is_a_write.asm): #PF with error code 2 (write,
; | supervisor, not present) and CR2 = 0x800000, read back after each resumed fault
; | (into EBX, then EAX).
l_shl:
    shl dword ptr [0x800000], cl
    mov ebx, cr2
    mov dword ptr [0x18000], 0
l_rol:
    rol byte ptr [0x800000], 0
    mov eax, cr2
