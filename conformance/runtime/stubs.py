"""Assembly source of the harness runtime: mode entry and the recording handlers.

Two pieces, assembled separately because they are 16- and 32-bit code:

* ``real_source(mode)`` at RUNTIME: the real-mode entry (every engine starts
  here), the 256 real-mode vector stubs and their common handler.
* ``protected_source(mode)`` at RUNTIME32: the protected-mode entry, the 256 IDT
  stubs and their common handler.

Both handlers append (vector, error code, EIP, CS, EFLAGS, CR2) to the log at
``layout.LOG``, then either stop the test (OUT to PORT_EXIT_EXCEPTION with the
interrupted registers restored) or resume it: after the faulting instruction for
a fault inside the test body (found in the resume table the harness writes), at
the saved EIP for traps and software interrupts.
"""

from __future__ import annotations

from .. import layout as L

RUNTIME32 = 0x2000
FARPTR = 0x05E8  # m16:16 (real16) or m16:32 (protected modes) of the test entry

_FAULT_MASK = sum(1 << v for v in L.FAULT_VECTORS)
_ABORT_MASK = sum(1 << v for v in L.ABORT_VECTORS)
_ERROR_CODE_MASK = sum(1 << v for v in L.ERROR_CODE_VECTORS)


def _reg(name: str) -> str:
    return hex(L.REGBLOCK + L.REG_OFFSETS[name])


def _resume_routine(p: str, error_codes: bool) -> str:
    """in: eax = vector, ebx = saved EIP; out: CF=1 to stop, else ebx = where to resume.

    A vector and EIP that match a software interrupt of the body (its vector, the address
    after it) resume there; with ``error_codes`` (protected mode), a vector whose
    exceptions push an error code is a fault even then: the stub took an error code, so
    a software interrupt's frame would not have given this EIP, and the instruction
    after an INT n may fault with the INT's vector.

    Written with 32-bit registers only, so it assembles the same in 16-bit code."""
    fault_first = (
        f"""    cmp eax, 32
    jae {p}rs_soft
    mov edx, {_ERROR_CODE_MASK:#x}
    bt edx, eax
    jc {p}rs_not_soft
{p}rs_soft:
"""
        if error_codes
        else ""
    )
    return f"""
{p}resume:
    push ecx
    push esi
    push edx
{fault_first}    mov ecx, dword ptr [{L.RESUME:#x}]
    mov esi, {L.RESUME + 4:#x}
{p}rs_soft_loop:
    test ecx, ecx
    jz {p}rs_not_soft
    cmp dword ptr [esi+4], ebx
    jne {p}rs_soft_next
    cmp dword ptr [esi+8], eax
    je {p}rs_resume_here
{p}rs_soft_next:
    add esi, 12
    dec ecx
    jmp {p}rs_soft_loop
{p}rs_not_soft:
    cmp eax, 32
    jae {p}rs_resume_here
    mov edx, {_ABORT_MASK:#x}
    bt edx, eax
    jc {p}rs_stop
    mov edx, {_FAULT_MASK:#x}
    bt edx, eax
    jnc {p}rs_resume_here
    mov ecx, dword ptr [{L.RESUME:#x}]
    mov esi, {L.RESUME + 4:#x}
{p}rs_fault_loop:
    test ecx, ecx
    jz {p}rs_stop
    cmp dword ptr [esi], ebx
    je {p}rs_found
    add esi, 12
    dec ecx
    jmp {p}rs_fault_loop
{p}rs_found:
    mov ebx, dword ptr [esi+4]
{p}rs_resume_here:
    clc
    jmp {p}rs_resume_out
{p}rs_stop:
    stc
{p}rs_resume_out:
    pop edx
    pop esi
    pop ecx
    ret
"""


def _load_gprs() -> str:
    return "\n".join(
        f"    mov {r}, dword ptr [{_reg(r)}]" for r in ("eax", "ecx", "edx", "ebx", "ebp", "esi", "edi")
    )


def _jump_to_body() -> str:
    """Load the initial registers and far-jump to the body (the same text assembles to
    the 16-bit form in real mode and the 32-bit form in protected mode)."""
    return f"""
    push dword ptr [{_reg("eflags")}]
    popfd
    mov es, word ptr [{_reg("es")}]
    mov fs, word ptr [{_reg("fs")}]
    mov gs, word ptr [{_reg("gs")}]
    mov ss, word ptr [{_reg("ss")}]
    mov esp, dword ptr [{_reg("esp")}]
{_load_gprs()}
    mov ds, word ptr cs:[{_reg("ds")}]
    ljmp cs:[{FARPTR:#x}]
"""


def real_source(mode: str) -> str:
    """The 16-bit piece at RUNTIME: entry, then real-mode stubs and handler."""
    if mode == "real16":
        enter = f"""
    lidt [{L.IVTR_PTR:#x}]
{_jump_to_body()}"""
    else:
        enter = f"""
    lgdt [{L.GDTR_PTR:#x}]
    lidt [{L.IDTR_PTR:#x}]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    ljmp {L.SEL_KCODE32:#x}:{RUNTIME32:#x}
"""
    stubs = "\n".join(f"rm_stub_{v}:\n    push word {v:#x}\n    jmp rm_common" for v in range(256))
    return f"""
entry:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, {L.KERNEL_STACK_TOP:#x}
{enter}
{stubs}
rm_common:
    push bp
    mov bp, sp
    push ds
    push eax
    push ebx
    xor ax, ax
    mov ds, ax
    mov ebx, dword ptr [{L.LOG:#x}]
    cmp ebx, {L.LOG_MAX}
    jae rm_stop
    inc dword ptr [{L.LOG:#x}]
    shl ebx, 5
    add ebx, {L.LOG_ENTRIES:#x}
    movzx eax, word ptr [bp+2]
    mov dword ptr [ebx], eax
    mov dword ptr [ebx+4], {L.NO_ERROR_CODE:#x}
    movzx eax, word ptr [bp+4]
    mov dword ptr [ebx+8], eax
    movzx eax, word ptr [bp+6]
    mov dword ptr [ebx+12], eax
    movzx eax, word ptr [bp+8]
    mov dword ptr [ebx+16], eax
    mov dword ptr [ebx+20], 0
    test byte ptr [{L.MODE_FLAGS:#x}], 1
    jnz rm_stop
    movzx eax, word ptr [bp+2]
    movzx ebx, word ptr [bp+4]
    call rm_resume
    jc rm_stop
    mov word ptr [bp+4], bx
    pop ebx
    pop eax
    pop ds
    pop bp
    add sp, 2
    iret
rm_stop:
    pop ebx
    pop eax
    pop ds
    pop bp
    add sp, 2
    out {L.PORT_EXIT_EXCEPTION:#x}, al
rm_halt:
    hlt
    jmp rm_halt
{_resume_routine("rm_", error_codes=False)}
"""


def protected_source(mode: str) -> str:
    """The 32-bit piece at RUNTIME32: protected-mode entry, IDT stubs and handler."""
    paging = ""
    if mode in ("pm32-paged", "user32"):
        paging = f"""
    mov eax, {L.PAGE_DIR:#x}
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
"""
    if mode == "user32":
        enter = f"""
    push dword ptr [{_reg("ss")}]
    push dword ptr [{_reg("esp")}]
    push dword ptr [{_reg("eflags")}]
    push dword ptr [{_reg("cs")}]
    push dword ptr [{_reg("eip")}]
    mov es, word ptr [{_reg("es")}]
    mov fs, word ptr [{_reg("fs")}]
    mov gs, word ptr [{_reg("gs")}]
{_load_gprs()}
    mov ds, word ptr cs:[{_reg("ds")}]
    iretd
"""
    else:
        enter = _jump_to_body()
    stubs = []
    for v in range(256):
        err = "" if v in L.ERROR_CODE_VECTORS else "    push dword -1\n"
        stubs.append(f"pm_stub_{v}:\n{err}    push dword {v:#x}\n    jmp pm_common")
    stub_text = "\n".join(stubs)
    return f"""
pm_entry:
    mov ax, {L.SEL_KDATA32:#x}
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, {L.KERNEL_STACK_TOP:#x}
    mov ax, {L.SEL_TSS:#x}
    ltr ax
    xor ax, ax
    lldt ax
{paging}
{enter}
{stub_text}
pm_common:
    push ds
    push es
    pushad
    mov ebp, esp
    mov ax, {L.SEL_KDATA32:#x}
    mov ds, ax
    mov es, ax
    mov ebx, dword ptr [{L.LOG:#x}]
    cmp ebx, {L.LOG_MAX}
    jae pm_stop
    inc dword ptr [{L.LOG:#x}]
    shl ebx, 5
    add ebx, {L.LOG_ENTRIES:#x}
    mov eax, dword ptr [ebp+40]
    mov dword ptr [ebx], eax
    mov eax, dword ptr [ebp+44]
    mov dword ptr [ebx+4], eax
    mov eax, dword ptr [ebp+48]
    mov dword ptr [ebx+8], eax
    movzx eax, word ptr [ebp+52]
    mov dword ptr [ebx+12], eax
    mov eax, dword ptr [ebp+56]
    mov dword ptr [ebx+16], eax
    xor eax, eax
    cmp dword ptr [ebp+40], 14
    jne pm_no_cr2
    mov eax, cr2
pm_no_cr2:
    mov dword ptr [ebx+20], eax
    test byte ptr [{L.MODE_FLAGS:#x}], 1
    jnz pm_stop
    mov eax, dword ptr [ebp+40]
    mov ebx, dword ptr [ebp+48]
    call pm_resume
pm_resumed:
    jc pm_stop
    mov dword ptr [ebp+48], ebx
    popad
    pop es
    pop ds
    add esp, 8
    iretd
pm_stop:
    popad
    pop es
    pop ds
    add esp, 8
    out {L.PORT_EXIT_EXCEPTION:#x}, al
pm_halt:
    hlt
    jmp pm_halt
{_resume_routine("pm_", error_codes=True)}
"""
