; code run from open bus beyond RAM fetches all ones: FF FF is an invalid opcode, #UD there
; mode: pm32
; expect-exceptions: 6/-@0x500000
; | The PC platform: a fetch that no memory claims reads all ones (as
; | addressing/open_bus_beyond_ram.asm reads data). FF with ModRM FF is FF /7, which
; | SDM vol. 2 appendix A (opcode map, group 5) leaves undefined: #UD, with EIP on it.
    mov eax, 0x500000
    jmp eax
