; An access whose last byte is past 4 GiB exceeds the limit of a flat segment: #GP(0)
; for data, #SS(0) for the stack; one that ends at 0xFFFFFFFF is within it
; mode: user32
; on-exception: resume
; expect-exceptions: 13/0@l_dword 13/0@l_word 14/4@l_byte 14/4@l_last_dword
; expect: cr2=0xfffffffc
; | Intel SDM vol. 3A 5.3: with the segment's limit 0xFFFFFFFF (4 KiB granular), an
; | access of N bytes at offset O is within the limit only if O + N - 1 <= 0xFFFFFFFF,
; | so a dword at 0xFFFFFFFE or a word at 0xFFFFFFFF faults #GP(0) (the data segment is
; | not SS) before any page is touched. A byte at 0xFFFFFFFF and a dword at 0xFFFFFFFC
; | are within the limit and reach the page tables: not present, #PF with error code 4
; | (read at CPL 3); CR2 is the last one's address.
l_dword:
    mov eax, dword ptr [0xfffffffe]
l_word:
    mov ax, word ptr [0xffffffff]
l_byte:
    mov al, byte ptr [0xffffffff]
l_last_dword:
    mov eax, dword ptr [0xfffffffc]
