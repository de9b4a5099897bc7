; JMP to a 16-bit TSS loads IP, FLAGS, the word registers and ES, CS, SS, DS from it and makes FS and GS null; the old task's state goes to its own 32-bit TSS
; mode: pm32
; gdt: 10=0x0000810184000067
; data: 0x18410 dw 0x0002 0x1111 0x2222 0x3333 0x4444 0xf000 0x6666 0x7777 0x8888
; data: 0x18422 dw 0x10 0x30 0x38 0x10
; compare: 0x18400 0x2c
; expect-exceptions: none
; expect: ax=0x1111 cx=0x2222 dx=0x3333 bx=0x4444 sp=0xf000 bp=0x6666 si=0x7777 di=0x8888
; expect: cs=0x30 ss=0x38 ds=0x10 es=0x10 fs=0 gs=0 cr0=0x19 mem32[0x720]=0x1001a
; | GDT slot 10: a 16-bit available TSS (type 1, access 0x81) at 0x18400, limit 0x67. SDM
; | vol. 3A 7.6 and figure 7-10: IP at 0x0e, FLAGS 0x10, AX ... DI at 0x12 ... 0x20, ES,
; | CS, SS, DS at 0x22 ... 0x28, LDT 0x2a; no FS, GS or CR3. The new task runs 16-bit code
; | in the runtime's segment 0x30 (base 0x10000), so IP = task2 - 0x10000, with SS 0x38.
; | The old state is saved in the 32-bit TSS at 0x700 (EIP after the JMP: 0x1001a).
; | The upper halves of the general registers after a load from a 16-bit TSS are left
; | open by the SDM ("modified and not maintained"); the test checks the words only.
    mov word ptr [0x1840e], task2 - 0x10000
    mov dword ptr [0x18000], 0
    ljmp 0x50:0
.code16
task2:
    nop
