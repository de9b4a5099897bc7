; CR0.TS makes an x87 instruction raise #NM; WAIT raises #NM only when MP is set too
; mode: pm32
; on-exception: resume
; | Expectation: by hand from SDM vol. 3A 2.5 (CR0.MP, EM, TS) and vol. 2 WAIT/FWAIT
; | (#NM if CR0.MP and CR0.TS are both 1); the handler resumes after the instruction.
; expect: exit=end
; expect-exceptions: 7/-@fpu 7/-@wait2
    mov eax, cr0
    or eax, 8                        ; TS
    and eax, ~2                      ; MP clear
    mov cr0, eax
wait1:
    fwait                            ; TS without MP: no fault
fpu:
    fnop
    mov eax, cr0
    or eax, 2                        ; MP
    mov cr0, eax
wait2:
    fwait
    clts
    fninit
