"""Imports at the top, and no private helper borrowed across packages (issue 25).

Read from the source with ``ast``: every ``import`` inside a function of ``consortium/`` must be
in ``IN_FUNCTION``, each with the reason it cannot be at the top; and no module imports (or reads
as an attribute of an imported module) an underscore-private name of another package. A package
is ``consortium.<name>`` (a domain, ``core``, or a top-level module such as ``consortium.cli``)."""
import ast
from pathlib import Path

import consortium

ROOT = Path(consortium.__file__).resolve().parent

# (importing module, imported module) -> why the import stays inside its function
IN_FUNCTION = {
    ("consortium.core.amounts", "cn2an"):
        "cn2an adds about 0.3 s to start-up (after create_app; 2026-12-07, load 7); only a Chinese-numeral amount needs it",
    ("consortium.core.spreadsheets", "openpyxl"):
        "openpyxl adds about 0.2 s to start-up (same measure); only reading or writing an XLSX file needs it",
    ("consortium.core.spreadsheets", "openpyxl.styles"):
        "part of openpyxl (above)",
}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def imported_module(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def is_module(name: str) -> bool:
    """Whether ``name`` is a module of the portal (not a class, function or object)."""
    path = ROOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def scan(source: str, module: str, is_package: bool = False):
    """(in-function imports as (line, imported module), private cross-package uses as (line, text))."""
    tree = ast.parse(source)
    in_function, private = [], []
    foreign_modules = {}  # local name -> another package's module it is bound to

    class Visitor(ast.NodeVisitor):
        depth = 0

        def visit_FunctionDef(self, node):
            self.depth += 1
            self.generic_visit(node)
            self.depth -= 1

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Import(self, node):
            for alias in node.names:
                if self.depth:
                    in_function.append((node.lineno, alias.name))
                if alias.name.startswith("consortium.") and package_of(alias.name) != package_of(module):
                    if any(part.startswith("_") for part in alias.name.split(".")):
                        private.append((node.lineno, f"import {alias.name}"))
                    if alias.asname:
                        foreign_modules[alias.asname] = alias.name

        def visit_ImportFrom(self, node):
            target = imported_module(node, module, is_package)
            if self.depth:
                in_function.append((node.lineno, target))
            if not target.startswith("consortium") or package_of(target) == package_of(module):
                return
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    private.append((node.lineno, f"from {target} import {alias.name}"))
                elif is_module(f"{target}.{alias.name}"):
                    foreign_modules[alias.asname or alias.name] = f"{target}.{alias.name}"

    Visitor().visit(tree)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in foreign_modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            private.append((node.lineno, f"{foreign_modules[node.value.id]}.{node.attr}"))
    return in_function, private


def scan_package():
    in_function, private = [], []
    for path in sorted(ROOT.rglob("*.py")):
        module = module_name(path)
        found, borrowed = scan(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
        in_function += [(module, line, target) for line, target in found]
        private += [(module, line, text) for line, text in borrowed]
    return in_function, private


def test_the_scanner_finds_in_function_and_private_cross_package_imports():
    source = ("import os\n"
              "from consortium.scenarios.services import _helper\n"
              "from consortium.catalog import services\n"
              "from ._own import _fine\n"
              "def f():\n"
              "    from consortium.core.clock import utcnow\n"
              "    import json\n"
              "    return services._private(), services.public()\n")
    in_function, private = scan(source, "consortium.agreements.services")
    assert in_function == [(6, "consortium.core.clock"), (7, "json")]
    assert private == [(2, "from consortium.scenarios.services import _helper"),
                       (8, "consortium.catalog.services._private")]
    # the same names inside their own package are its business
    assert scan("from consortium.scenarios.services.common import _require\n", "consortium.scenarios.views.groups") \
        == ([], [])
    assert scan("from .common import _require\n", "consortium.scenarios.services.groups") == ([], [])


def test_imports_are_at_the_top_except_the_listed_ones():
    in_function, _ = scan_package()
    unlisted = [f"{module}:{line} imports {target}" for module, line, target in in_function
                if (module, target) not in IN_FUNCTION]
    assert unlisted == [], ("imports inside functions: move them to the module's top (or, if one is really needed "
                            f"there, list it in IN_FUNCTION with the reason): {unlisted}")
    stale = set(IN_FUNCTION) - {(module, target) for module, _, target in in_function}
    assert not stale, f"IN_FUNCTION lists imports that are no longer inside a function: {sorted(stale)}"


def test_no_private_name_is_imported_across_packages():
    _, private = scan_package()
    assert private == [], ("another package's underscore-private name is used: make it public in its owner's "
                           f"services or queries, or move it to the package that owns the concept: {private}")
