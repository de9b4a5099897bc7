; CR0 read-back in 16-bit protected mode: SMSW, LMSW cannot clear PE, LMSW sets TS, CLTS clears it
; mode: pm16
; expect: eax=0x11 bx=0x11 edx=1 esi=9 edi=1 cs=0x30
; expect-exceptions: none
;
;   mov eax, cr0 / and 0x11     PE (bit 0) and ET (bit 4, hardwired 1 since the P6) -> 0x11
;   smsw bx / and 0x11          SMSW stores CR0 bits 15:0                             -> 0x11
;   lmsw 0                      SDM vol. 2 LMSW: loads only PE, MP, EM, TS (bits 3:0) and
;                               cannot clear PE: CR0[3:0] = 0001                       -> 1
;   lmsw 8                      sets TS: CR0[3:0] = 1001                               -> 9
;   clts                        clears TS                                              -> 1
    mov eax, cr0
    and eax, 0x11
    smsw bx
    and bx, 0x11
    mov cx, 0
    lmsw cx
    mov edx, cr0
    and edx, 0xf
    mov cx, 8
    lmsw cx
    mov esi, cr0
    and esi, 0xf
    clts
    mov edi, cr0
    and edi, 0xf
