; SYSENTER with IA32_SYSENTER_CS = 0 raises #GP(0)
; mode: pm32
; expect: exit=exception
; expect-exceptions: 13/0@enter
; | SDM vol. 2 SYSENTER: IF CR0.PE = 0 OR IA32_SYSENTER_CS[15:2] = 0 THEN #GP(0).
; | The MSR is 0 after reset and nothing wrote it.
enter:
    sysenter
