; IRET with NT set whose back link names a TSS that is not busy is #TS(back link), taken before the switch
; mode: pm32
; gdt: 10=0x0000890184000067
; on-exception: resume
; expect-exceptions: 10/0x50@back
; expect: cr0=0x11 mem8[0x655]=0x89 nt=1
; | The runtime's TSS (0x700) gets the back link 0x50, an idle TSS; NT is set with POPFD.
; | SDM vol. 2 IRET, TASK-RETURN: "IF TSS descriptor type is not TSS or if the TSS is marked
; | not busy THEN #TS(TSS selector)", before any state is saved: CR0.TS stays clear, and
; | the handler resumes after the IRETD with NT still set.
    mov word ptr [0x700], 0x50
    push dword 0x4002
    popfd
back:
    iretd
