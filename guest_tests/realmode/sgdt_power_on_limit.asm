; SGDT in real mode before any LGDT stores the power-up GDTR: base 0, limit 0xFFFF
; mode: real16
; compare: 0x18000 16
; expect: mem16[0x18000]=0xffff mem32[0x18002]=0 mem16[0x18008]=0x3ff mem32[0x1800a]=0
;
; Intel SDM vol. 3A table 10-1 (processor state following power-up): GDTR base 0, limit
; 0FFFFH. The harness runtime loads only IDTR in real mode (the IVT: limit 0x3FF), so the
; GDTR a real-mode test sees is the power-up one. Found by `conformance fuzz`: the Unicorn
; oracle started with limit 0 until its start state set the power-up value.
    sgdt [0x8000]
    sidt [0x8008]
