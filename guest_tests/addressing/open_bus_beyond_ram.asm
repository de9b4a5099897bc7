; physical memory beyond RAM is open bus: reads give all ones, writes are dropped
; mode: pm32
; expect: eax=0xffffffff ebx=0xffffffff ecx=0xffff1234 edx=0xff
; | The PC platform, not the SDM: a read that no memory or device claims floats to all
; | ones, and a write there goes nowhere. RAM is 4 MiB here (layout.RAM_SIZE), so
; | 0x2000000 is beyond it, and the dword at 0x3FFFFE is two bytes of RAM (0x1234,
; | written before) and two of open bus. The VMM's machine models it so (Machine.
; | phys_read); Unicorn stops on an unmapped access unless the oracle maps open bus.
    mov eax, [0x2000000]
    mov dword ptr [0x2000000], 0x11223344
    mov ebx, [0x2000000]
    mov dword ptr [0x3ffffc], 0x12340000
    mov ecx, [0x3ffffe]
    movzx edx, byte ptr [0xfffffff0]
