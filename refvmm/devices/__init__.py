"""Emulated PC devices, one module per device, behind the machine's port bus.

Every device is driven through its ports the way its datasheet describes; time is
virtual (``VirtualClock``, from retired instructions), so a guest sees the same
device behaviour on every engine and every run.
"""
