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


def test_ids_and_numbers_from_forms_are_read_by_the_one_parser():
    """``"²".isdigit()`` is true and ``int("²")`` raises: a form field read with
    ``isdigit`` then ``int`` answered 500. Forms go through ``params.form_id`` and
    ``params.form_number`` (the standards and the text parsers read their own formats)."""
    import pathlib

    import ecogov

    root = pathlib.Path(ecogov.__file__).parent
    readers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if ".isdigit()" in path.read_text(encoding="utf-8")
        and path.parts[len(root.parts)] not in ("standards", "domain")
        and path.name != "params.py"
    ]
    assert readers == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (12, 12), (" 7 ", 7), ("²", None), ("٣", None), ("1e309", None), ("-1", None),
     ("0", None), ("9" * 5000, None), (str(2**63), None), ("", None), (None, None), ("0x10", None)],
)  # fmt: skip
def test_form_ids_are_ascii_digits_within_the_databases_range(value, expected):
    from ecogov.params import form_id

    assert form_id(value) == expected
