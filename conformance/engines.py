"""The engine interface and the registry of named engine configurations.

An engine takes a built ``Image`` and returns a ``FinalState``. Configurations are
named strings (``unicorn``, ``kvm``, ``native``, ``interp``, ``bt``, ``bt:noopt``, ``bt:block=5``
...): the part before the first ``:`` names a registered engine and the rest is its
option string. The VMM's own engines come from its registry (``refvmm.engines.ENGINES``).
A third-party engine plugs in by import path (``pkg.module:Class``, the class is
constructed with no arguments) or through the ``conformance.engines`` entry-point group
(engines for the harness: an ``Image`` in, a ``FinalState`` out).

An engine may declare what it guarantees: ``exact_counts`` (it retires exactly the
instructions the architecture does, so engines that promise it are held to the same
count) and ``exact_timing`` (device events at the same instruction counts on every run).
Oracles promise neither.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from importlib import metadata
from typing import Protocol

from .image import Image
from .state import FinalState


class Engine(Protocol):
    name: str
    #: "oracle" for reference executions, "engine" for engines under test
    kind: str
    #: optional guarantees (absent: False)
    exact_counts: bool
    exact_timing: bool

    def unavailable(self) -> str | None:
        """None when the engine can run here, else the reason it cannot."""

    def run(self, image: Image) -> FinalState: ...


class EngineError(Exception):
    pass


_FACTORIES: dict[str, Callable[[str], Engine]] = {}
ENTRY_POINTS = "conformance.engines"  # the entry-point group of third-party harness engines


# What `conformance run` and the pytest plugin run when no engine is named: bt as a user
# runs it (code translated once it repeats) and bt translating everything at once, since
# most guest tests run their code once.
DEFAULT_ENGINES = ("unicorn", "interp", "bt", "bt:hot=1")


def register(name: str, factory: Callable[[str], Engine]) -> None:
    """Register ``factory(options) -> Engine`` under ``name``."""
    _FACTORIES[name] = factory


def _load_builtins() -> None:
    if _FACTORIES:
        return
    from .oracles import kvm, native, unicorn

    register("unicorn", unicorn.UnicornOracle)
    register("kvm", kvm.KvmOracle)
    register("native", native.NativeOracle)
    from refvmm.engines import ENGINES

    from .vmm import VmmEngine

    for name in ENGINES:
        register(name, lambda opts, name=name: VmmEngine(name, opts))
    try:
        eps = metadata.entry_points(group=ENTRY_POINTS)
    except TypeError:  # Python < 3.10 signature
        eps = metadata.entry_points().get(ENTRY_POINTS, [])
    for ep in eps:
        register(ep.name, _entry_point_factory(ep))


def _entry_point_factory(ep) -> Callable[[str], Engine]:
    """A factory that loads the entry point when the engine is asked for, so a broken
    plugin fails only where it is used, in one line."""

    def factory(options: str) -> Engine:
        try:
            target = ep.load()
        except Exception as exc:
            raise EngineError(
                f"cannot load engine {ep.name!r} ({ep.value}): {type(exc).__name__}: {exc}"
            ) from None
        if not callable(target):
            raise EngineError(f"engine {ep.name!r} ({ep.value}) is not callable")
        return target(options)

    return factory


def _check(engine, config: str, what: str) -> Engine:
    for method in ("run", "unavailable"):
        if not callable(getattr(engine, method, None)):
            raise EngineError(f"engine {config!r}: {what} has no {method}() method, so it is not an engine")
    if not hasattr(engine, "kind"):
        engine.kind = "engine"
    if engine.kind not in ("engine", "oracle"):
        raise EngineError(f"engine {config!r}: kind {engine.kind!r} is neither 'engine' nor 'oracle'")
    return engine


def known() -> list[str]:
    _load_builtins()
    return sorted(_FACTORIES)


def resolve(config: str) -> Engine:
    """The engine for a configuration string, or EngineError with a one-line reason."""
    _load_builtins()
    base, _, options = config.partition(":")
    if base in _FACTORIES:
        try:
            engine = _FACTORIES[base](options)
        except EngineError:
            raise
        except (ValueError, TypeError) as exc:
            raise EngineError(f"engine {config!r}: {exc}") from None
        except Exception as exc:
            raise EngineError(f"engine {config!r} failed to start: {type(exc).__name__}: {exc}") from None
        engine = _check(engine, config, base)
        engine.name = config
        return engine
    if options:
        try:
            cls = getattr(importlib.import_module(base), options)
        except ModuleNotFoundError as exc:
            if exc.name == base and "." not in base:
                raise EngineError(
                    f"unknown engine {config!r} (known: {', '.join(known())}, or pkg.module:Class)"
                ) from None
            raise EngineError(f"cannot load engine {config!r}: {exc}") from None
        except Exception as exc:  # an import that fails in any way
            raise EngineError(f"cannot load engine {config!r}: {type(exc).__name__}: {exc}") from None
        where = f"{base}.{options}"
        if not isinstance(cls, type):
            kind = (
                "a module" if inspect.ismodule(cls) else "a function" if callable(cls) else type(cls).__name__
            )
            raise EngineError(f"engine {config!r}: {where} is {kind}, not an engine class")
        try:
            engine = cls()
        except Exception as exc:
            raise EngineError(
                f"engine {config!r}: {where}() failed (an engine class takes no arguments):"
                f" {type(exc).__name__}: {exc}"
            ) from None
        engine = _check(engine, config, where)
        engine.name = config
        return engine
    raise EngineError(f"unknown engine {config!r} (known: {', '.join(known())}, or pkg.module:Class)")
