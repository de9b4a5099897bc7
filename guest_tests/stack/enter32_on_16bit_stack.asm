; A 32-bit ENTER on a 16-bit stack pushes through SP but takes all of ESP as the frame pointer: EBP becomes ESP, upper half included; a 16-bit ENTER changes BP only
; mode: pm16
; expect-exceptions: none
; expect: ebx=0x1234fefc ecx=0x1234feec edx=0x1234fee8 esi=0x1234fed0 edi=0xbad5fece eax=0x1234feba
; | The runtime's pm16 stack is SS 0x38, a 16-bit segment: pushes use SP and keep ESP's
; | upper half (0x1234). SDM vol. 2 ENTER: "IF OperandSize = 32 THEN Push(EBP);
; | FrameTemp := ESP", and at the end "EBP := FrameTemp; ESP := ESP - AllocSize" (with SP
; | arithmetic on a 16-bit stack); "ELSE (* OperandSize = 16 *) BP := FrameTemp[15:0]".
; | 1. ENTER 0x10, 0 (o32) from ESP 0x1234ff00: push EBP (SP 0xfefc), EBP = FrameTemp =
; |    0x1234fefc (EBX), SP 0xfeec (ECX 0x1234feec).
; | 2. ENTER 0x10, 2 (o32), EBP 0xbad5ff80: push EBP (SP 0xfee8), FrameTemp 0x1234fee8;
; |    BP - 4 = 0xff7c, push the dword at SS:0xff7c (0xfee4); push FrameTemp (0xfee0);
; |    EBP = 0x1234fee8 (EDX), SP 0xfee0 - 0x10 = 0xfed0 (ESI 0x1234fed0).
; | 3. ENTER 0x10, 2 (o16), EBP 0xbad5ff80: push BP (0xfece), FrameTemp 0xfece; BP - 2,
; |    push the word at SS:0xff7e (0xfecc); push FrameTemp (0xfeca); BP = 0xfece, EBP's
; |    upper half kept (EDI 0xbad5fece); SP 0xfeca - 0x10 = 0xfeba (EAX 0x1234feba).
; | The host CPU agrees (native oracle).
    mov ebp, 0xbad50000
    mov esp, 0x1234ff00
    .byte 0x66, 0xc8, 0x10, 0x00, 0x00
    mov ebx, ebp
    mov ecx, esp
    mov ebp, 0xbad5ff80
    .byte 0x66, 0xc8, 0x10, 0x00, 0x02
    mov edx, ebp
    mov esi, esp
    mov ebp, 0xbad5ff80
    .byte 0xc8, 0x10, 0x00, 0x02
    mov edi, ebp
    mov eax, esp
    mov esp, 0xfff0
