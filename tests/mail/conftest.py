from tests.scenarios.conftest import make_resource, world  # noqa: F401  (the scenarios' small union)
