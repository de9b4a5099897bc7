"""Guest OS boots tracked across versions: the pinned guests and their milestones
(``catalogue``), one boot made into a history record (``record``), the history itself
(``history``), what regressed against an earlier record (``compare``), the host's speed
in the same invocation (``reference``), plots (``plots``, matplotlib, optional) and the
HTML report (``report``). ``conformance boots`` (conformance/cli.py) drives them."""
