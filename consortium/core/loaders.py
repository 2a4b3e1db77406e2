"""Loading the object a page is about: absent and not-yours look the same (404), so a
page never confirms that something the viewer may not see exists."""
from flask import abort

from .exceptions import NotFound


def or_404(obj, visible=None):
    """``obj`` when it exists and ``visible(obj)`` (if given) says the viewer may see it; 404 otherwise."""
    if obj is None or (visible is not None and not visible(obj)):
        abort(404)
    return obj


def found_or_404(getter, *args):
    """``getter(*args)`` for a service that raises NotFound for what the viewer may not see."""
    try:
        return getter(*args)
    except NotFound:
        abort(404)
