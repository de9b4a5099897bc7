"""The medium behind a disk device: 512-byte sectors held in a host image file or in bytes."""

from __future__ import annotations

import os
from pathlib import Path

SECTOR = 512


class SectorImage:
    """A path is used in place, so sectors the guest writes land in the file; a file without
    write permission is opened read-only (``read_only``). Bytes give a private copy.
    ``kind`` ("disk", "floppy") names the image in errors."""

    def __init__(self, image: bytes | bytearray | str | os.PathLike, kind: str):
        self._file = None
        self._mem: bytearray | None = None
        if isinstance(image, (bytes, bytearray)):
            self.name = f"<{kind} bytes>"
            self._mem = bytearray(image)
            self.size, self.read_only = len(image), False
            return
        path = Path(image)
        self.name = f"{kind} image {path}"
        if not path.is_file():
            raise ValueError(f"{self.name}: no such file")
        self.size = path.stat().st_size
        self.read_only = not os.access(path, os.W_OK)
        self._file = open(path, "rb" if self.read_only else "r+b")  # noqa: SIM115 - open while in use

    def close(self) -> None:
        if self._file:
            self._file.close()
            self._file = None

    def read_sector(self, lba: int) -> bytes:
        if self._mem is not None:
            return bytes(self._mem[lba * SECTOR : (lba + 1) * SECTOR])
        self._file.seek(lba * SECTOR)
        return self._file.read(SECTOR).ljust(SECTOR, b"\0")

    def write_sector(self, lba: int, data: bytes) -> None:
        if self.read_only:
            raise PermissionError(f"{self.name}: read-only")
        if self._mem is not None:
            self._mem[lba * SECTOR : (lba + 1) * SECTOR] = data
            return
        self._file.seek(lba * SECTOR)
        self._file.write(data)
        self._file.flush()
