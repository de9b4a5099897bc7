"""A third-party engine for the tests: Unicorn with EAX forced to 0x1234 at the end."""

from conformance.oracles.unicorn import UnicornOracle


class ForcedEax:
    name = "forced"
    kind = "engine"

    def unavailable(self):
        return None

    def run(self, image):
        state = UnicornOracle().run(image)
        state.engine = self.name
        state.regs["eax"] = 0x1234
        return state
