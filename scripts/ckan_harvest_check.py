"""Read the portal's DCAT-AP catalogue the way a CKAN harvester does, with ckanext-dcat's own
RDF parser (DCAT-AP 3 profile) and CKAN's own tag and licence rules, and say what it maps.

ckanext-dcat imports CKAN itself, so this runs in a separate virtual environment, never in the
portal's (CKAN pins dozens of packages the portal's lock does not share):

    python3 -m venv /tmp/ckan-venv
    /tmp/ckan-venv/bin/pip install ckanext-dcat "ckan[requirements]"
    /tmp/ckan-venv/bin/python scripts/ckan_harvest_check.py http://127.0.0.1:5000/catalog.ttl

The argument is the first page's URL (Hydra paging is followed as ckanext-dcat's harvester
does) or a Turtle / JSON-LD file. ``--licences URL`` loads a CKAN licence list first (CKAN's
``licenses_group_url``; the portal serves its own at /licences.json, a file:// URL works too);
without it CKAN's default register is used. The tests mirror these rules with rdflib (tests/catalog/test_harvest.py)."""
import collections
import sys
import urllib.request
from pathlib import Path

from ckan.logic.validators import tag_length_validator, tag_name_validator  # noqa: E402
from ckanext.dcat.processors import RDFParser  # noqa: E402


def _pages(source: str):
    if Path(source).exists():
        fmt = "json-ld" if source.endswith((".jsonld", ".json")) else "turtle"
        yield Path(source).read_text(encoding="utf-8"), fmt
        return
    url, seen = source, set()
    while url and url not in seen:
        seen.add(url)
        with urllib.request.urlopen(url) as response:
            fmt = "json-ld" if "json" in response.headers.get("Content-Type", "") else "turtle"
            text = response.read().decode("utf-8")
        yield text, fmt
        parser = RDFParser(profiles=["euro_dcat_ap_3"])
        parser.parse(text, _format=fmt)
        url = parser.next_page()


def _tag_ok(name: str) -> bool:
    try:
        tag_length_validator(name, {})
        tag_name_validator(name, {})
        return True
    except Exception:
        return False


def main(source: str, licences: str | None = None) -> int:
    if licences:
        from ckan.common import config
        config["licenses_group_url"] = licences
    counts = collections.Counter()
    problems = []
    pages = 0
    for text, fmt in _pages(source):
        pages += 1
        parser = RDFParser(profiles=["euro_dcat_ap_3"])
        parser.parse(text, _format=fmt)
        for dataset in parser.datasets():
            counts["datasets"] += 1
            extras = {e["key"]: e["value"] for e in dataset.get("extras", [])}
            uri = extras.get("uri", "?")
            counts["contact e-mail"] += bool(extras.get("contact_email"))
            counts["licence recognised"] += bool(dataset.get("license_id"))
            counts["alternate identifier"] += "alternate_identifier" in extras
            resources = dataset.get("resources", [])
            counts["with a resource"] += bool(resources)
            counts["with a download link"] += any(r.get("download_url") for r in resources)
            counts["download with media type"] += any(r.get("download_url") and r.get("mimetype") for r in resources)
            bad_tags = [t["name"] for t in dataset.get("tags", []) if not _tag_ok(t["name"])]
            counts["datasets with a refused tag"] += bool(bad_tags)
            if bad_tags:
                problems.append(f"{uri}: tags CKAN refuses {bad_tags}")
            if not resources:
                problems.append(f"{uri}: no resource")
    print(f"pages read: {pages}")
    for key, value in counts.items():
        print(f"{key}: {value}")
    for line in problems[:20]:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    licence_list = args[args.index("--licences") + 1] if "--licences" in args else None
    sys.exit(main(next(a for a in args if not a.startswith("--") and a != licence_list), licence_list))
