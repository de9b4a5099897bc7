"""VGA in colour text mode as PC guests use it: the CRTC (cursor shape, start address, cursor location),
the miscellaneous output register, input status 1 with retrace bits that move, and the attribute, sequencer,
graphics and DAC registers latched without being emulated. The text itself is read straight from guest
RAM at 0xB8000 (80x25 cells, character byte then attribute byte); ``text()`` and ``png()`` snapshot it."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from .base import ByteDevice

TEXT_BASE = 0xB8000
COLS = 80
ROWS = 25

# CRTC registers 0x00-0x18 as the BIOS programs them for mode 3 (80x25 colour text, 9x16 cells).
MODE3_CRTC = bytes.fromhex("5f4f50825581bf1f004f0d0e000000009c8e8f281f96b9a3ff")

# The classic 5x7 LCD font for ASCII 0x20-0x7E: five column bytes per glyph, bit 0 the top row.
FONT5X7 = bytes.fromhex(
    "000000000000005f00000007000700147f147f14242a7f2a12231308646236495522500005030000001c2241000041221c00"
    "14083e081408083e080800503000000808080808006060000020100804023e5149453e00427f400042615149462141454b31"
    "1814127f1027454545393c4a49493001710905033649494936064949291e0036360000005636000008142241001414141414"
    "00412214080201510906324979413e7e1111117e7f494949363e414141227f4141221c7f494949417f090909013e4149497a"
    "7f0808087f00417f41002040413f017f081422417f404040407f020c027f7f0408107f3e4141413e7f090909063e4151215e"
    "7f09192946464949493101017f01013f4040403f1f2040201f3f4038403f631408146307087008076151494543007f414100"
    "02040810200041417f0004020102044040404040000102040020545454787f484444383844444420384444487f3854545418"
    "087e0901020c5252523e7f0804047800447d40002040443d007f1028440000417f40007c041804787c080404783844444438"
    "7c14141408081414187c7c080404084854545420043f4440203c4040207c1c2040201c3c4030403c44281028440c5050503c"
    "4464544c44000836410000007f000000413608001008081008"
)

# The 16 CGA/EGA text colours (attribute low nibble = foreground, bits 4-6 = background).
PALETTE = (
    (0x00, 0x00, 0x00), (0x00, 0x00, 0xAA), (0x00, 0xAA, 0x00), (0x00, 0xAA, 0xAA),
    (0xAA, 0x00, 0x00), (0xAA, 0x00, 0xAA), (0xAA, 0x55, 0x00), (0xAA, 0xAA, 0xAA),
    (0x55, 0x55, 0x55), (0x55, 0x55, 0xFF), (0x55, 0xFF, 0x55), (0x55, 0xFF, 0xFF),
    (0xFF, 0x55, 0x55), (0xFF, 0x55, 0xFF), (0xFF, 0xFF, 0x55), (0xFF, 0xFF, 0xFF),
)  # fmt: skip


def _cell_char(code: int) -> str:
    """One character cell as text: NUL and 0xFF are blank, ASCII is itself, 0x80-0xFE are CP437's
    letters, box drawing and symbols; the CP437 pictograms at 0x01-0x1F and 0x7F become '.'."""
    if code in (0x00, 0xFF):
        return " "
    if 0x20 <= code < 0x7F:
        return chr(code)
    if code >= 0x80:
        return bytes([code]).decode("cp437")
    return "."


def _glyph(code: int) -> tuple[int, ...]:
    """Eight 8-pixel rows (bit 7 leftmost) for a cell. ASCII comes from the 5x7 font; CP437's full,
    lower-half and upper-half blocks and the three shades are drawn; any other code is a small box."""
    if 0x20 <= code < 0x7F:
        cols = FONT5X7[(code - 0x20) * 5 : (code - 0x20) * 5 + 5]
        return tuple(sum(0x40 >> c for c in range(5) if cols[c] >> r & 1) for r in range(8))
    blocks = {
        0xDB: (0xFF,) * 8,
        0xDC: (0,) * 4 + (0xFF,) * 4,
        0xDF: (0xFF,) * 4 + (0,) * 4,
        0xB0: (0x88, 0x22) * 4,
        0xB1: (0xAA, 0x55) * 4,
        0xB2: (0x77, 0xDD) * 4,
    }
    if code in blocks:
        return blocks[code]
    if code in (0x00, 0xFF):
        return (0,) * 8
    return (0, 0, 0x3C, 0x24, 0x24, 0x3C, 0, 0)


class VgaText(ByteDevice):
    """The VGA register file at 0x3C0-0x3CF and 0x3D4/0x3D5/0x3DA (colour addressing) over text in ``ram``.

    Modelled: CRTC index/data with the mode 3 defaults and the write protect of registers 0-7 (0x11 bit 7);
    the miscellaneous output register (written at 0x3C2, read at 0x3CC, 0x67 after reset); input status 1
    at 0x3DA, whose display-enable (bit 0) and vertical-retrace (bit 3) bits flip on every read so that
    "wait for retrace" loops finish, and whose read resets the attribute controller's index/data flip-flop;
    the attribute controller (0x3C0 alternating index and data, 0x3C1 read), sequencer (0x3C4/0x3C5),
    graphics controller (0x3CE/0x3CF) and DAC (0x3C7-0x3C9, three bytes per entry) latched. Not modelled:
    other video modes, fonts in plane 2, blinking, the monochrome 0x3Bx aliases."""

    ports = tuple(range(0x3C0, 0x3D0)) + (0x3D4, 0x3D5, 0x3DA)

    def __init__(self, ram: bytearray):
        self.ram = ram
        self.crtc = bytearray(MODE3_CRTC)
        self.crtc_index = 0
        self.misc = 0x67
        self.seq = bytearray(8)
        self.seq_index = 0
        self.gc = bytearray(9)
        self.gc_index = 0
        self.attr = bytearray(0x15)
        self.attr_index = 0
        self._attr_flip = False  # False: the next 0x3C0 write is an index
        self.dac = bytearray(256 * 3)
        self._dac_read = 0
        self._dac_write = 0
        self.pel_mask = 0xFF
        self._status_reads = 0

    # -- ports ------------------------------------------------------------------------------------------
    def read_byte(self, port: int) -> int:
        if port == 0x3D4:
            return self.crtc_index
        if port == 0x3D5:
            return self.crtc[self.crtc_index] if self.crtc_index < len(self.crtc) else 0xFF
        if port == 0x3DA:
            self._attr_flip = False
            self._status_reads += 1
            return 0x09 if self._status_reads & 1 else 0x00
        if port == 0x3CC:
            return self.misc
        if port == 0x3C0:
            return self.attr_index
        if port == 0x3C1:
            return self.attr[self.attr_index & 0x1F] if (self.attr_index & 0x1F) < len(self.attr) else 0
        if port == 0x3C4:
            return self.seq_index
        if port == 0x3C5:
            return self.seq[self.seq_index] if self.seq_index < len(self.seq) else 0xFF
        if port == 0x3CE:
            return self.gc_index
        if port == 0x3CF:
            return self.gc[self.gc_index] if self.gc_index < len(self.gc) else 0xFF
        if port == 0x3C6:
            return self.pel_mask
        if port == 0x3C8:
            return self._dac_write // 3
        if port == 0x3C9:
            value = self.dac[self._dac_read]
            self._dac_read = (self._dac_read + 1) % len(self.dac)
            return value
        if port == 0x3CA:
            return 0x00  # feature control
        return 0x00  # 0x3C2 input status 0 and the rest

    def write_byte(self, port: int, value: int) -> None:
        if port == 0x3D4:
            self.crtc_index = value & 0x1F
        elif port == 0x3D5:
            i = self.crtc_index
            if i >= len(self.crtc):
                return
            if self.crtc[0x11] & 0x80 and i <= 7:
                if i == 7:  # only the line compare bit 8 stays writable
                    self.crtc[7] = (self.crtc[7] & ~0x10) | (value & 0x10)
                return
            self.crtc[i] = value
        elif port == 0x3C0:
            if self._attr_flip:
                if (self.attr_index & 0x1F) < len(self.attr):
                    self.attr[self.attr_index & 0x1F] = value
            else:
                self.attr_index = value & 0x3F
            self._attr_flip = not self._attr_flip
        elif port == 0x3C2:
            self.misc = value
        elif port == 0x3C4:
            self.seq_index = value & 0x07
        elif port == 0x3C5:
            self.seq[self.seq_index] = value
        elif port == 0x3CE:
            self.gc_index = value & 0x0F
        elif port == 0x3CF:
            if self.gc_index < len(self.gc):
                self.gc[self.gc_index] = value
        elif port == 0x3C6:
            self.pel_mask = value
        elif port == 0x3C7:
            self._dac_read = value * 3
        elif port == 0x3C8:
            self._dac_write = value * 3
        elif port == 0x3C9:
            self.dac[self._dac_write] = value & 0x3F
            self._dac_write = (self._dac_write + 1) % len(self.dac)

    # -- the screen -------------------------------------------------------------------------------------
    @property
    def start_address(self) -> int:
        """CRTC 0x0C/0x0D: the first displayed cell, counted in cells from 0xB8000."""
        return self.crtc[0x0C] << 8 | self.crtc[0x0D]

    @property
    def cursor_location(self) -> int:
        """CRTC 0x0E/0x0F: the cursor's cell, counted like the start address."""
        return self.crtc[0x0E] << 8 | self.crtc[0x0F]

    @property
    def cursor_visible(self) -> bool:
        """CRTC 0x0A bit 5 turns the cursor off; so does a start scan line below the end line."""
        return not self.crtc[0x0A] & 0x20 and (self.crtc[0x0A] & 0x1F) <= (self.crtc[0x0B] & 0x1F)

    def cursor(self) -> tuple[int, int]:
        """(row, col) of the cursor on the displayed screen (it may lie off screen)."""
        return divmod(self.cursor_location - self.start_address, COLS)

    def cells(self) -> list[tuple[int, int]]:
        """The 80x25 displayed (character, attribute) pairs, row by row; beyond RAM reads as 0xFF."""
        base = TEXT_BASE + 2 * self.start_address
        ram = self.ram
        out = []
        for i in range(COLS * ROWS):
            a = base + 2 * i
            out.append((ram[a] if a < len(ram) else 0xFF, ram[a + 1] if a + 1 < len(ram) else 0xFF))
        return out

    def text(self) -> str:
        """The screen as 25 lines, trailing spaces trimmed (see ``_cell_char`` for the mapping)."""
        cells = self.cells()
        lines = []
        for r in range(ROWS):
            row = cells[r * COLS : (r + 1) * COLS]
            lines.append("".join(_cell_char(ch) for ch, _ in row).rstrip(" "))
        return "\n".join(lines)

    def png(self, path: str | Path, scale: int = 2) -> None:
        """Write the screen as a PNG file (see ``png_bytes``)."""
        Path(path).write_bytes(self.png_bytes(scale))

    def png_bytes(self, scale: int = 2) -> bytes:
        """The screen as an RGB PNG. A minimal rendering: each cell is 8x8 pixels (times ``scale``)
        in its background colour (attribute bits 4-6; bit 7 blink is ignored) with the 5x7 glyph in its
        foreground colour (bits 0-3), and the cursor, when visible, as the cell's bottom row."""
        cw = 8 * scale
        width, height = COLS * cw, ROWS * cw
        cells = self.cells()
        cur_r, cur_c = self.cursor()
        show_cursor = self.cursor_visible and 0 <= cur_r < ROWS and 0 <= cur_c < COLS
        raw = bytearray()
        for r in range(ROWS):
            rows = cells[r * COLS : (r + 1) * COLS]
            glyphs = [_glyph(ch) for ch, _ in rows]
            for y in range(8):
                line = bytearray()
                for c, (_, attr) in enumerate(rows):
                    fg = bytes(PALETTE[attr & 0x0F])
                    bg = bytes(PALETTE[(attr >> 4) & 0x07])
                    bits = glyphs[c][y]
                    if show_cursor and (r, c) == (cur_r, cur_c) and y == 7:
                        bits = 0xFF
                    for x in range(8):
                        line += (fg if bits & (0x80 >> x) else bg) * scale
                for _ in range(scale):
                    raw.append(0)  # filter type: none
                    raw += line
        assert len(raw) == height * (1 + 3 * width)
        return _png(width, height, bytes(raw))


def _png(width: int, height: int, filtered: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(filtered, 6))
        + chunk(b"IEND", b"")
    )
