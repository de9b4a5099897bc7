; Memory accesses through a null DS, ES or FS are #GP(0); SS- and CS-based ones still work
; mode: pm32
; on-exception: resume
; regs: ebx=0xbbbbbbbb ecx=0xcccccccc esi=0x18000 edi=0x18008 ebp=0x18000
; data: 0x18000 dd 0x12345678 0 0
; expect: eax=0x12345678 edx=0x12345678 ebx=0xbbbbbbbb ecx=0xcccccccc esi=0x18000 edi=0x18008
; expect: mem32[0x18004]=0 mem32[0x18008]=0
; expect-exceptions: 13/0@l1 13/0@l2 13/0@l3 13/0@l4 13/0@l5
;
; DS, ES, FS are loaded with the null selector 0 (allowed). SDM vol. 2 MOV/LODS/STOS:
; #GP(0) if the DS, ES, FS or GS register used contains a null segment selector.
;   l1 [0x18000] via DS   l2 FS override load   l3 FS override store   l4 LODSD (DS:ESI)
;   l5 STOSD (ES:EDI): all #GP(0), no register or memory changes (ESI, EDI not advanced).
; [ebp] uses SS (flat) and the CS override uses CS (flat, readable): both read 0x12345678.
    mov ax, 0
    mov ds, ax
    mov es, ax
    mov fs, ax
l1:
    mov ebx, [0x18000]
l2:
    mov ecx, fs:[0x18000]
l3:
    mov dword ptr fs:[0x18004], 1
l4:
    lodsd
l5:
    stosd
    mov edx, [ebp]
    mov eax, cs:[0x18000]
