; RETF to CPL 3 with a not-present stack segment raises #SS(selector), not #NP
; mode: pm32
; on-exception: resume
; gdt: 10=0x004f72000000ffff
; data: 0x18000 dd 0x10000 0x1b 0x1f000 0x53
; expect: esp=0x18000 cs=0x8 ss=0x10
; expect-exceptions: 12/0x50@here
;
; | The far return frame at 0x18000: EIP 0x10000, CS 0x1B (RPL 3: a return to an
; | outer level), then ESP 0x1F000 and SS 0x53. Selector 0x53 is GDT slot 10: access
; | 0x72, a DPL 3 read/write data segment that is not present, RPL 3 = RPL of CS and
; | DPL 3 = that RPL, so every check before the present bit passes. SDM vol. 2 RET,
; | RETURN-TO-OUTER-PRIVILEGE-LEVEL: "IF stack segment not present THEN
; | #SS(StackSegmentSelector)": #SS with error code 0x50; nothing is loaded.
    mov esp, 0x18000
here:
    retf
