"""VGA text mode: text in RAM at 0xB8000, the CRTC cursor and start address, input status 1, the PNG."""

import struct
import zlib

from refvmm.devices.base import PortBus
from refvmm.devices.vga import VgaText


def make():
    ram = bytearray(1 << 20)
    vga = VgaText(ram)
    bus = PortBus()
    bus.attach(vga)
    return ram, vga, bus


def put(ram, row, col, text, attr=0x07):
    for i, ch in enumerate(text.encode("cp437")):
        addr = 0xB8000 + 2 * (row * 80 + col + i)
        ram[addr], ram[addr + 1] = ch, attr


def set_cursor(bus, pos):
    bus.write(0x3D4, 1, 0x0E)
    bus.write(0x3D5, 1, pos >> 8)
    bus.write(0x3D4, 1, 0x0F)
    bus.write(0x3D5, 1, pos & 0xFF)


def test_hello_in_text_memory():
    ram, vga, _ = make()
    put(ram, 0, 0, "Hello", attr=0x1F)  # white on blue
    put(ram, 24, 75, "end")
    lines = vga.text().split("\n")
    assert len(lines) == 25
    assert lines[0] == "Hello"
    assert lines[1] == ""  # zeroed memory is blank
    assert lines[24] == " " * 75 + "end"
    assert ram[0xB8001] == 0x1F


def test_cp437_mapping():
    ram, vga, _ = make()
    put(ram, 0, 0, "\u2554\u2550\u2557 \u00e9 \u2588")  # CP437 0xC9 0xCD 0xBB, 0x82, 0xDB
    assert ram[0xB8000] == 0xC9 and ram[0xB8008] == 0x82
    ram[0xB8000 + 2 * 80] = 0x01  # the smiley pictogram is not mapped
    ram[0xB8002 + 2 * 80] = ord("A")
    assert vga.text().split("\n")[:2] == ["\u2554\u2550\u2557 \u00e9 \u2588", ".A"]


def test_cursor_through_crtc():
    _, vga, bus = make()
    assert vga.cursor() == (0, 0)
    set_cursor(bus, 12 * 80 + 34)  # 994 = 0x03E2
    assert vga.crtc[0x0E] == 0x03 and vga.crtc[0x0F] == 0xE2
    assert vga.cursor() == (12, 34)
    bus.write(0x3D4, 1, 0x0F)
    assert bus.read(0x3D4, 1) == 0x0F
    assert bus.read(0x3D5, 1) == 0xE2
    # A 16-bit OUT to 0x3D4 writes index then data, as many BIOSes do it: 0x03E2 becomes 0x0305.
    bus.write(0x3D4, 2, 0x0500 | 0x0F)
    assert vga.cursor_location == 0x0305
    assert vga.cursor() == (9, 53)  # 773 = 9 * 80 + 53


def test_cursor_shape_and_disable():
    _, vga, bus = make()
    assert (vga.crtc[0x0A], vga.crtc[0x0B]) == (0x0D, 0x0E)  # mode 3 underline cursor
    assert vga.cursor_visible
    bus.write(0x3D4, 2, 0x200A)  # cursor start with bit 5: cursor off
    assert not vga.cursor_visible


def test_start_address_scrolls_display():
    ram, vga, bus = make()
    put(ram, 0, 0, "first")
    put(ram, 1, 0, "second")
    bus.write(0x3D4, 2, 0x000C)
    bus.write(0x3D4, 2, (80 << 8) | 0x0D)  # start at cell 80: row 1
    assert vga.start_address == 80
    assert vga.text().split("\n")[0] == "second"
    set_cursor(bus, 80 + 3)
    assert vga.cursor() == (0, 3)


def test_crtc_write_protect():
    _, vga, bus = make()
    assert vga.crtc[0x11] & 0x80  # mode 3 leaves registers 0-7 protected
    bus.write(0x3D4, 2, 0x1200)
    assert vga.crtc[0] == 0x5F
    bus.write(0x3D4, 2, (vga.crtc[0x11] & 0x7F) << 8 | 0x11)
    bus.write(0x3D4, 2, 0x1200)
    assert vga.crtc[0] == 0x12


def test_misc_output_and_input_status():
    _, vga, bus = make()
    assert bus.read(0x3CC, 1) == 0x67  # colour I/O addressing, RAM enabled, 28 MHz clock
    seen = {bus.read(0x3DA, 1) & 0x08 for _ in range(4)}
    assert seen == {0x00, 0x08}  # vertical retrace comes and goes
    # The usual wait: while in retrace, spin; then until retrace, spin.
    for _ in range(3):
        n = 0
        while bus.read(0x3DA, 1) & 0x08:
            n += 1
            assert n < 10
        while not bus.read(0x3DA, 1) & 0x08:
            n += 1
            assert n < 10
    bus.write(0x3C2, 1, 0x63)
    assert bus.read(0x3CC, 1) == 0x63


def test_attribute_sequencer_graphics_stored():
    _, vga, bus = make()
    bus.read(0x3DA, 1)  # reset the flip-flop to "index"
    bus.write(0x3C0, 1, 0x10)
    bus.write(0x3C0, 1, 0x0C)  # mode control
    bus.write(0x3C0, 1, 0x20)  # the next write is an index again: PAS set, video on
    assert vga.attr[0x10] == 0x0C and vga.attr_index == 0x20
    bus.write(0x3C0, 1, 0x3F)  # ...and this one data, for palette register 0
    assert vga.attr[0x00] == 0x3F
    bus.read(0x3DA, 1)
    bus.write(0x3C0, 1, 0x30)
    assert bus.read(0x3C0, 1) == 0x30 and bus.read(0x3C1, 1) == 0x0C
    bus.write(0x3C4, 2, 0x0302)  # sequencer map mask
    assert bus.read(0x3C5, 1) == 0x03
    bus.write(0x3CE, 2, 0x0E06)  # graphics misc: B8000, odd/even
    assert bus.read(0x3CF, 1) == 0x0E
    bus.write(0x3C8, 1, 1)
    for v in (0x3F, 0x20, 0x01):
        bus.write(0x3C9, 1, v)
    bus.write(0x3C7, 1, 1)
    assert [bus.read(0x3C9, 1) for _ in range(3)] == [0x3F, 0x20, 0x01]


def test_png_is_valid_and_coloured(tmp_path):
    ram, vga, bus = make()
    put(ram, 0, 0, "Hi", attr=0x1E)  # yellow on blue
    ram[0xB8005] = 0x07  # the cursor cell: grey on black, no character
    set_cursor(bus, 2)
    path = tmp_path / "screen.png"
    vga.png(path, scale=1)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = body
        pos += 12 + length
    assert struct.unpack(">IIBBBBB", chunks[b"IHDR"]) == (640, 200, 8, 2, 0, 0, 0)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + 640 * 3
    assert len(raw) == 200 * stride

    def px(x, y):
        o = y * stride + 1 + 3 * x
        return tuple(raw[o : o + 3])

    assert px(0, 0) == (0x00, 0x00, 0xAA)  # background blue
    # 'H' column 0 is 0x7F: rows 0-6 lit at pixel x=1.
    assert px(1, 0) == (0xFF, 0xFF, 0x55) and px(1, 6) == (0xFF, 0xFF, 0x55) and px(1, 7) == (0, 0, 0xAA)
    assert px(16, 0) == (0, 0, 0)  # empty cell, black background
    assert px(16, 7) == (0xAA, 0xAA, 0xAA)  # cursor line in the cell's grey foreground
