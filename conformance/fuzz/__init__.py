"""``conformance fuzz``: fuzzing of sensitive-instruction handling.

``catalogue`` names the target instructions (Robin and Irvine's seventeen, and the
privileged and IOPL-sensitive ones) with a hypothesis strategy for each one's operands;
``contexts`` draws where it runs (mode, CPL, IOPL, IF, the descriptors its selectors
name); ``program`` renders a program as a guest test; ``judge`` runs it on the engines
and the oracles as the corpus is run, and ``causes`` holds the reviewed oracle defects
that explain a difference; ``campaign`` drives hypothesis and shrinks findings;
``report`` prints, saves and writes them; ``command`` is the command line.
"""
