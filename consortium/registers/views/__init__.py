"""/registers, one module per aggregate, all on one blueprint (``registers``), so every
endpoint keeps its name: ``registers.body``, ``registers.certificate``, ``registers.check`` …
bodies (and the overview), certificates, the certificate import, recognition agreements,
the check and the network, trusted data spaces, the public verification."""
from . import bodies, certificate_import, certificates, check, recognitions, spaces, verify  # noqa: F401  (routes on bp)
from .common import bp

__all__ = ["bp"]
