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


def test_no_two_api_schemas_share_a_name_with_different_fields():
    """django-ninja names an OpenAPI component by its class name: two schemas of one name
    and other fields become one in the schema, and the documented answer is wrong."""
    import importlib
    import pkgutil

    from ninja import Schema

    import ecogov

    for module in pkgutil.walk_packages(ecogov.__path__, "ecogov."):
        if module.name.endswith(".api"):
            importlib.import_module(module.name)
    seen: dict[str, dict] = {}
    clashes = []

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("ecogov."):
                fields = sub.model_json_schema()
                if sub.__name__ in seen and seen[sub.__name__] != fields:
                    clashes.append(sub.__name__)
                seen.setdefault(sub.__name__, fields)
            walk(sub)

    walk(Schema)
    assert sorted(clashes) == [], sorted(clashes)
