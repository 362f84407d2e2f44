"""Dependencies point one way: the framework-free kernels import no Django."""

import pkgutil
import subprocess
import sys

import pytest

import ecogov.domain
import ecogov.standards


@pytest.mark.parametrize("package", [ecogov.domain, ecogov.standards])
def test_kernels_import_no_django(package):
    modules = [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    assert modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(leaked); sys.exit(bool(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
