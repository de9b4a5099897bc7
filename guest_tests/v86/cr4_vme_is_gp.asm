; The virtual CPU has no virtual-8086 mode extensions: CPUID leaf 1 reports neither VME nor PVI, and setting CR4.VME or CR4.PVI is #GP(0)
; mode: pm32
; on-exception: resume
; expect-exceptions: 13/0@set_vme 13/0@set_pvi
; expect: cr4=0 edx=0
; | The model's CPUID leaf 1 EDX bit 1 (VME, which covers CR4.VME and CR4.PVI) is clear;
; | SDM vol. 3A 2.5: setting a CR4 bit of an unsupported feature is #GP(0). EDX keeps bit 1
; | of CPUID.1:EDX (0).
    mov eax, 1
    cpuid
    and edx, 2
    mov eax, 1
set_vme:
    mov cr4, eax
    mov eax, 2
set_pvi:
    mov cr4, eax
