"""gunicorn settings that load the search's columns once, before the workers fork:

    gunicorn -c python:consortium.catalog.search.preload -w 4 -b 127.0.0.1:8000 app:app

The master creates the app, reads every entry's facet columns (the only step that reads
every row), closes its database connections, then forks: each worker starts with the columns
already in memory (shared copy-on-write until a change patches them), so its first search
only checks the change log and patches what changed since. Other settings come from the
command line as usual.
"""
from consortium.extensions import db

from .columns import snapshot

preload_app = True


def _app(server):
    return server.app.wsgi()


def when_ready(server):
    """In the master, after the app is loaded and before any worker is forked."""
    app = _app(server)
    with app.app_context():
        snapshot()
        db.session.remove()
        db.engine.dispose()  # no connection may be shared with the workers


def post_fork(server, worker):
    with _app(server).app_context():
        db.engine.dispose(close=False)  # drop any pooled connection inherited from the master
