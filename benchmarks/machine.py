"""One line on the machine and the interpreter a benchmark ran on, for beside its figures.

The interpreter's build matters as much as a busy neighbour: on the 2-core machine of issue 23,
Debian's own ``/usr/bin/python3.11`` (built with profile-guided and link-time optimisation, the
interpreter linked into its executable) ran pure-Python code 1.5 times as fast as a pyenv build
without ``--enable-optimizations`` whose interpreter is a shared ``libpython``; the load mix
about a tenth faster (``benchmarks/README.md``).
"""

import os
import sys
from pathlib import Path


def describe() -> str:
    """``# machine: <n> CPUs, load average <1 5 15 min>, python <version> (<executable>,
    <where libpython is>)``."""
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"# machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min), "
        f"python {sys.version.split()[0]} ({Path(sys.executable).resolve()}, {_libpython()})"
    )


def _libpython() -> str:
    """Where the running interpreter's code is: a shared library (slower calls between its
    parts) or the executable itself. Read from the process's memory map, where there is one."""
    maps = Path("/proc/self/maps")
    if not maps.exists():
        return "libpython unknown"
    for line in maps.read_text().splitlines():
        fields = line.split()
        path = fields[5] if len(fields) >= 6 else ""
        if Path(path).name.startswith("libpython"):
            return f"libpython shared: {path}"
    return "libpython in the executable"
