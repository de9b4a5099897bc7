"""QEMU's fw_cfg firmware configuration interface, legacy I/O form (x86: ports 0x510/0x511).

A 16-bit write to the selector port 0x510 selects an item and rewinds it; each byte read from the
data port 0x511 returns the item's next byte, and 0 past its end. Only the traditional interface is
offered (the ID item has no DMA bit, and 0x514 is not claimed). Items:

- 0x0000 signature: b"QEMU"
- 0x0001 ID: u32 little-endian, bit 0 = traditional interface
- 0x0019 file directory: u32 big-endian count, then per file a 64-byte entry of u32 BE size,
  u16 BE select, u16 reserved, and a 56-byte NUL-padded name
- 0x0020 upwards: files added with ``add_file``, in the order added (QEMU sorts them by name;
  firmware looks files up by name, so the order does not matter to it)

Other numbered items (RAM size, CPU count...) can be set with ``add_item``. Writes to the data port
are ignored, as in QEMU since 2.4; reads of the selector port float high.
"""

from __future__ import annotations

import struct

from .base import ByteDevice

SELECTOR = 0x510
DATA = 0x511

SIGNATURE = 0x0000
ID = 0x0001
FILE_DIR = 0x0019
FILE_FIRST = 0x0020
ENTRY_MASK = 0x3FFF  # bit 15 selects architecture-specific items, bit 14 asks for write access
ARCH_LOCAL = 0x8000

ID_TRADITIONAL = 0x01
NAME_LEN = 56


class FwCfg(ByteDevice):
    ports = (SELECTOR, DATA)

    def __init__(self) -> None:
        self._items: dict[int, bytes] = {SIGNATURE: b"QEMU", ID: struct.pack("<I", ID_TRADITIONAL)}
        self._files: list[tuple[str, int]] = []  # (name, select)
        self._items[FILE_DIR] = self._directory()
        self._selected = SIGNATURE
        self._offset = 0

    def add_item(self, key: int, data: bytes) -> None:
        """Set a numbered item, e.g. ``ARCH_LOCAL | n`` for an architecture-specific one."""
        self._items[key] = bytes(data)

    def add_file(self, name: str, data: bytes) -> int:
        """Add a named file; returns its select key. Names are at most 55 bytes."""
        encoded = name.encode()
        if len(encoded) >= NAME_LEN:
            raise ValueError(f"fw_cfg file name too long: {name!r}")
        if any(existing == name for existing, _ in self._files):
            raise ValueError(f"fw_cfg file already present: {name!r}")
        select = FILE_FIRST + len(self._files)
        self._files.append((name, select))
        self._items[select] = bytes(data)
        self._items[FILE_DIR] = self._directory()
        return select

    def add_sercon_port(self, port: int = 0x3F8) -> int:
        """``etc/sercon-port``: SeaBIOS's serial console (sercon) takes its UART base from this file
        through romfile_loadint(), which accepts a 1-, 2-, 4- or 8-byte little-endian integer;
        we store 2 bytes. Port 0 (the default without the file) keeps sercon off."""
        return self.add_file("etc/sercon-port", struct.pack("<H", port))

    def _directory(self) -> bytes:
        out = bytearray(struct.pack(">I", len(self._files)))
        for name, select in self._files:
            size = len(self._items[select])
            out += struct.pack(">IHH", size, select, 0) + name.encode().ljust(NAME_LEN, b"\0")
        return bytes(out)

    def read_byte(self, port: int) -> int:
        if port == SELECTOR:
            return 0xFF
        item = self._items.get(self._selected, b"")
        if self._offset >= len(item):
            return 0
        value = item[self._offset]
        self._offset += 1
        return value

    def write(self, port: int, size: int, value: int) -> None:
        if port == SELECTOR:
            if size == 2:  # the selector only takes 16-bit writes
                key = value & 0xFFFF
                self._selected = key & (ENTRY_MASK | ARCH_LOCAL)
                self._offset = 0
            return
        super().write(port, size, value)

    def write_byte(self, port: int, value: int) -> None:
        pass  # data port writes are ignored; byte writes to the selector do not select
