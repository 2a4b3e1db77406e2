"""The panel kinds. Each module registers the kinds of one source domain; a module
whose source domain (its ``queries``) is not installed is skipped, so the
catalogue grows when that domain is merged."""
import importlib
import importlib.util

# module of this package -> the read module it depends on
SOURCES = {
    "figures": None,
    "members": "consortium.members.queries",
    "catalog": "consortium.catalog.queries",
    "scenarios": "consortium.scenarios.queries",
    "agreements": "consortium.scenarios.queries",
    "registers": "consortium.registers.queries",
    "negotiations": "consortium.negotiations.queries",
}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def load() -> None:
    for name, source in SOURCES.items():
        if (source is None or _installed(source)) and _installed(f"{__name__}.{name}"):
            importlib.import_module(f"{__name__}.{name}")
