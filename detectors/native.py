"""The optional compiled kernels (native/, Python module ``glemsel_native``).

Each detector module binds the kernels it uses to a module global ``_native_<name>`` (None
when the module is absent, or off with ``GLEMSEL_NATIVE=0``) and keeps its Python code as the
reference and the fallback. ``set_enabled`` rebinds every such global at once, so that one
process can measure or compare both paths (bench/native_speed.py, the equality tests).
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import Any

_BOUND: list[tuple[dict[str, Any], str, str]] = []  # (module globals, global name, kernel)


def _module() -> ModuleType | None:
    try:
        return importlib.import_module("glemsel_native")
    except ImportError:
        return None


_MODULE = _module()
_enabled = os.environ.get("GLEMSEL_NATIVE", "1") != "0"


def available() -> bool:
    """Whether the compiled module is installed (whatever GLEMSEL_NATIVE says)."""
    return _MODULE is not None


def module() -> ModuleType | None:
    """The compiled module, if installed (for the tables a kernel is given once)."""
    return _MODULE


def enabled() -> bool:
    return _enabled and _MODULE is not None


def kernel(name: str) -> Any:
    """The compiled function ``name``, or None (no module, off, or a module too old for it)."""
    if not _enabled or _MODULE is None:
        return None
    return getattr(_MODULE, name, None)


def bind(namespace: dict[str, Any], attr: str, name: str) -> Any:
    """Set ``namespace[attr]`` to the kernel ``name`` (or None) and remember it for
    ``set_enabled``; returns the value bound."""
    _BOUND.append((namespace, attr, name))
    namespace[attr] = kernel(name)
    return namespace[attr]


def set_enabled(on: bool) -> None:
    """Switch every bound kernel on (when installed) or off, in this process."""
    global _enabled
    _enabled = on
    for namespace, attr, name in _BOUND:
        namespace[attr] = kernel(name)
