"""refvmm: a reference hosted virtual machine monitor for IA-32.

The machine model and its engines (interpreter, binary translator, direct
execution) register with the conformance harness as they land.
"""

__version__ = "0.1.0"
