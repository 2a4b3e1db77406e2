"""The agreements tests reuse the small union of the scenarios tests."""
from tests.scenarios.conftest import make_resource, world  # noqa: F401  (fixtures)
