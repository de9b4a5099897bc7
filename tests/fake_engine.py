"""Third-party engines for the tests: Unicorn's result with one thing changed, and
engines that are unavailable, crash, or miscount."""

from conformance.oracles.unicorn import UnicornOracle


class _AlteredUnicorn:
    """Unicorn's result under the engine's own name, changed by ``alter``."""

    name = "altered"
    kind = "engine"

    def unavailable(self):
        return None

    def run(self, image):
        state = UnicornOracle().run(image)
        state.engine = self.name
        self.alter(state, image)
        return state

    def alter(self, state, image) -> None:
        pass


class ForcedEax(_AlteredUnicorn):
    """EAX forced to 0x1234 at the end."""

    name = "forced"

    def alter(self, state, image):
        state.regs["eax"] = 0x1234


class Unavailable:
    name = "unavailable"
    kind = "engine"

    def unavailable(self):
        return "not on this host"

    def run(self, image):
        raise AssertionError("never run")


class Crashes:
    name = "crashes"
    kind = "engine"

    def unavailable(self):
        return None

    def run(self, image):
        raise RuntimeError("boom")


class LacksSgdt(_AlteredUnicorn):
    """Unicorn, but a program with SGDT stops as the VMM stops on what it does not
    implement yet."""

    name = "lacks-sgdt"

    def alter(self, state, image):
        if b"\x0f\x01" in image.body:
            state.exit, state.message = "error", f"not implemented: sgdt at {image.body_origin:#x}"


class DiesOnCrash:
    """Kills its process, as a crash in native code would, on tests named crash*.asm."""

    name = "dies"
    kind = "engine"

    def unavailable(self):
        return None

    def run(self, image):
        import os
        import signal

        if image.test_id.split("/")[-1].startswith("crash"):
            os.kill(os.getpid(), signal.SIGKILL)
        state = UnicornOracle().run(image)
        state.engine = self.name
        return state


class OneMoreInstruction:
    """The interpreter's result with one instruction more: an engine that promises exact
    counts and miscounts."""

    name = "one-more"
    kind = "engine"
    exact_counts = True

    def unavailable(self):
        return None

    def run(self, image):
        from conformance.vmm import VmmEngine

        state = VmmEngine("interp").run(image)
        state.engine = self.name
        state.instructions += 1
        return state


class WrongSgdt(_AlteredUnicorn):
    """Unicorn, but a program that executes SGDT ends with the first compared byte flipped:
    an engine bug tied to one instruction, for the fuzzer's tests."""

    name = "wrong-sgdt"

    def alter(self, state, image):
        import capstone

        md = capstone.Cs(
            capstone.CS_ARCH_X86, capstone.CS_MODE_16 if image.bits == 16 else capstone.CS_MODE_32
        )
        if any(i[2] == "sgdt" for i in md.disasm_lite(image.body, image.body_origin)) and state.memory:
            start = min(state.memory)
            blob = bytearray(state.memory[start])
            blob[0] ^= 0x80
            state.memory[start] = bytes(blob)


class WrongEsp(_AlteredUnicorn):
    """Unicorn, but ESP ends 64 KiB higher: a difference shaped like Unicorn's RET imm16 defect
    in a program without a RET imm16, for the fuzzer's tests."""

    name = "wrong-esp"

    def alter(self, state, image):
        state.regs["esp"] = (state.regs["esp"] + 0x10000) & 0xFFFFFFFF


class WrongFsw(_AlteredUnicorn):
    """Unicorn, but FSW ends with the precision flag set."""

    name = "wrong-fsw"

    def alter(self, state, image):
        state.fpu["fsw"] = state.fpu.get("fsw", 0) | 0x20


class WrongSgdtEverywhereEsp(WrongSgdt):
    """WrongSgdt in a context that always differs (ESP, as WrongEsp): like naive-de, whose
    every program with IF set differs before its target runs."""

    name = "wrong-sgdt-everywhere-esp"

    def alter(self, state, image):
        super().alter(state, image)
        WrongEsp.alter(self, state, image)
