; TSS, LDT and call-gate descriptors cannot be loaded into data segment registers: #GP(selector)
; mode: pm32
; on-exception: resume
; gdt: 10=0x0000820180000ff 11=0x00018c0000080000
; expect: ds=0x10 es=0x10 fs=0x10
; expect-exceptions: 13/0x28@l1 13/0x50@l2 13/0x58@l3
;
; 0x28: the runtime's TSS (busy after LTR).
; Slot 10 (0x50): LDT descriptor (S = 0, type 2), base 0x18000, limit 0xff.
; Slot 11 (0x58): 32-bit call gate (S = 0, type 0xc) to 0x08:0x10000.
; SDM vol. 2 MOV: #GP(selector) if the segment is not a data or readable code segment.
    mov ax, 0x28
l1:
    mov ds, ax
    mov ax, 0x50
l2:
    mov es, ax
    mov ax, 0x58
l3:
    mov fs, ax
