"""Where job files live: ``JOBS_FILE_DIR`` (``instance/job-files`` by default; with workers on
several machines, a directory every web server and worker mounts). A file's stored name is
random (``secrets.token_urlsafe``) and never reaches a page: it is downloaded through its
job, after the permission check. It is written as ``<name>.part`` and renamed when complete."""
import os
import secrets
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from flask import current_app

PART = ".part"


def directory() -> Path:
    path = Path(current_app.config["JOBS_FILE_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep() -> timedelta:
    """How long a finished job's file is kept (``JOBS_KEEP_HOURS``)."""
    return timedelta(hours=current_app.config["JOBS_KEEP_HOURS"])


def path_of(name: str) -> Path:
    return directory() / Path(name).name


def size(name: str) -> int:
    return path_of(name).stat().st_size


@contextmanager
def writing(suffix: str):
    """(open binary file, final stored name): the file becomes visible under its final name
    only once the block ends without error; otherwise the partial file is removed."""
    name = secrets.token_urlsafe(24) + (suffix if suffix.replace(".", "").isalnum() else "")
    final = path_of(name)
    part = final.with_name(final.name + PART)
    try:
        with open(part, "wb") as handle:
            yield handle, name
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, final)
    finally:
        part.unlink(missing_ok=True)


def remove(name: str | None) -> None:
    if name:
        path_of(name).unlink(missing_ok=True)


def orphans(known: set[str], older_than: float = 3600) -> list[Path]:
    """Files no job names (a worker stopped between writing and recording them, or a partial
    file it left), older than ``older_than`` seconds."""
    limit = time.time() - older_than
    return [p for p in directory().iterdir()
            if p.is_file() and p.name not in known and p.stat().st_mtime < limit]
