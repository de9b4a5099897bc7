; System calls by SYSENTER/SYSEXIT, 50 times from a user loop: the MSRs give the kernel's CS, SS, ESP, EIP; SYSEXIT returns to 0x1b:EDX, 0x23:ECX
; mode: pm32-paged
; data: 0x18000 dd 0 0 0xffffffff 0
; expect-exceptions: none
; expect: eax=0xaf0 ebx=0x6b ecx=0x1effc edx=0 edi=0
; expect: mem32[0x18000]=50 mem32[0x18004]=0x9000 mem32[0x18008]=0 mem16[0x1800c]=0x10 mem16[0x1800e]=0x08
; expect: cs=0x1b ss=0x23 ds=0x23 esp=0x1effc if=1 iopl=0
; | SDM vol. 2 SYSENTER: CS <- IA32_SYSENTER_CS (0x174) & 0xFFFC = 0x08, SS <- CS + 8 = 0x10,
; | ESP <- IA32_SYSENTER_ESP (0x175) = 0x9000, EIP <- IA32_SYSENTER_EIP (0x176); CPL 0;
; | EFLAGS.VM, IF and RF are cleared; nothing is pushed. So the handler sees ESP 0x9000,
; | SS 0x10, CS 0x08 and IF = 0 on every call (it ANDs EFLAGS & 0x200 into 0x18008,
; | which starts all ones and ends 0).
; | SYSEXIT (CPL 0, IA32_SYSENTER_CS = 8): CS <- 8 + 16 | 3 = 0x1b, SS <- 8 + 24 | 3 = 0x23,
; | EIP <- EDX, ESP <- ECX; EFLAGS unchanged, so the handler STIs first (the STI shadow
; | covers the SYSEXIT). DS stays 0x23 across both.
; | The user pushes one dword (ESP 0x1effc), then each call: ECX = ESP, EDX = the
; | return label; the kernel does eax += ebx; the user does ebx += 2 after it.
; |   ebx is 7, 9, ..., 105 at the calls: eax = 50*7 + 2*1225 = 2800 = 0xaf0, ebx = 107 = 0x6b.
; | At the end EDX - user_back = 0 (SYSEXIT jumped to EDX), ECX = ESP = 0x1effc.
    mov ecx, 0x174
    mov eax, 0x08
    xor edx, edx
    wrmsr
    mov ecx, 0x175
    mov eax, 0x9000
    wrmsr
    mov ecx, 0x176
    mov eax, sys_entry
    wrmsr
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

sys_entry:
    mov dword ptr [0x18004], esp
    mov word ptr [0x1800c], ss
    mov word ptr [0x1800e], cs
    pushfd
    pop ebp
    and ebp, 0x200
    and dword ptr [0x18008], ebp
    inc dword ptr [0x18000]
    add eax, ebx
    sti
    sysexit

user:
    push dword 0x55
    mov edi, 50
    xor eax, eax
    mov ebx, 7
user_loop:
    mov ecx, esp
    mov edx, user_back
    sysenter
user_back:
    add ebx, 2
    dec edi
    jnz user_loop
    sub edx, user_back
