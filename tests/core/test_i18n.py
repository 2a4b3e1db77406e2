"""Every user-visible string is translatable and translated."""
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _catalog(lang):
    with open(ROOT / f"consortium/translations/{lang}/LC_MESSAGES/messages.po", "rb") as f:
        return read_po(f)


def test_every_message_has_a_chinese_translation():
    missing = [m.id for m in _catalog("zh") if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert missing == []


@pytest.mark.slow
def test_catalogues_are_up_to_date_with_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."], cwd=ROOT, check=True,
                   capture_output=True)
    with open(pot, "rb") as f:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    for lang in ("zh", "en"):
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(lang) if m.id}
        assert extracted - known == set(), f"run `make messages` and translate ({lang})"
