"""The VMM's execution engines. Each runs a Machine for a budget of instructions."""
