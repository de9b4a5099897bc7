; System calls by INT 0x80 through a DPL 3 trap gate, 50 times from a user loop: every call and IRETD switches CPL 3 <-> 0
; mode: pm32-paged
; data: 0x18000 dd 0 0 0
; expect-exceptions: none
; expect: eax=0xe8d ebx=0x97 ecx=0 edx=0xf906
; expect: mem32[0x18000]=50 mem32[0x18004]=0x8fec mem32[0x18008]=0x200
; expect: cs=0x1b ss=0x23 ds=0x23 es=0x23 esp=0x1f000 if=1 iopl=0
; | The kernel writes a trap gate (type 0xF, DPL 3: byte 0xEF) for vector 0x80 into the
; | IDT, loads the data segments with 0x23 (an IRET to CPL 3 would null a DPL 0 data
; | segment, SDM vol. 2 IRET) and IRETDs to CPL 3 with ESP 0x1f000, EFLAGS 0x202.
; | Each INT 0x80 from CPL 3 switches to TSS.SS0:ESP0 = 0x10:0x9000 and pushes SS, ESP,
; | EFLAGS, CS, EIP (SDM vol. 3A 6.12.1): the handler's ESP is 0x9000 - 20 = 0x8fec every
; | time. A trap gate leaves IF set: the handler ORs EFLAGS & 0x200 into 0x18008.
; | The handler: eax += ebx, ebx += 3, count++. The user: edx += eax after each call,
; | LOOP on ecx = 50.
; |   ebx goes 1, 4, ..., 148 before the calls: eax = sum(1 + 3j, j < 50) = 50 + 3*1225
; |   = 3725 = 0xe8d, ebx = 1 + 150 = 151 = 0x97.
; |   After call k, eax = k + 3k(k-1)/2; edx = sum(k, 1..50) + 3*C(51,3) = 1275 + 3*20825
; |   = 63750 = 0xf906.
; | The IRETD back restores CS 0x1b, SS:ESP 0x23:0x1f000; the body ends at CPL 3.
    mov eax, sys_int80
    mov word ptr [0x800+0x80*8], ax
    mov word ptr [0x802+0x80*8], 0x08
    mov word ptr [0x804+0x80*8], 0xef00
    shr eax, 16
    mov word ptr [0x806+0x80*8], ax
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd

sys_int80:
    add eax, ebx
    add ebx, 3
    inc dword ptr [0x18000]
    mov dword ptr [0x18004], esp
    pushfd
    pop esi
    and esi, 0x200
    or dword ptr [0x18008], esi
    iretd

user:
    mov ecx, 50
    xor eax, eax
    mov ebx, 1
    xor edx, edx
user_loop:
    int 0x80
    add edx, eax
    loop user_loop
