"""Fill empty translations of a catalogue from other .po files (used after a merge
re-extracted the messages): python scripts/fill_po.py LANG SOURCE.po [SOURCE.po ...]

LANG is a folder under consortium/translations (zh, en). Existing translations win;
an empty msgstr takes the first non-empty one found in the sources for the same msgid in the
same context (msgctxt: "Schedule" of a harvest source is not the pricing register's)."""
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def _load(path):
    with open(path, "rb") as f:
        return read_po(f)


def main(lang, sources):
    target_path = ROOT / "consortium" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    target = _load(target_path)
    known = {}
    for source in sources:
        for m in _load(source):
            if m.id and m.string and (isinstance(m.string, str) or all(m.string)):
                known.setdefault((m.context, m.id if isinstance(m.id, str) else m.id[0]), m.string)
    filled = 0
    for m in target:
        key = (m.context, m.id if isinstance(m.id, str) else (m.id[0] if m.id else None))
        empty = not m.string or (not isinstance(m.string, str) and not all(m.string))
        if key[1] and empty and key in known:
            m.string = known[key]
            filled += 1
    with open(target_path, "wb") as f:
        write_po(f, target, width=0)
    print(f"{lang}: {filled} translations filled")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
