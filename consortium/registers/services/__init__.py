"""The rules of the registers, one module per aggregate: registration bodies, certificates,
recognition agreements, the recognition check and trusted data spaces. Every function takes
the acting user explicitly (``None``: the system — CLI, demo data), flushes only and raises
DomainErrors that name the field; the caller commits.

Other domains, scripts and tests may keep reading ``services.X``: the public names are
re-exported here. Code inside the registers package imports from the submodule."""
from .bodies import create_body, find_body, get_body, managed_bodies, update_body
from consortium.core.uscc import check_uscc, normalise_uscc
from .certificates import (certificate_state, certificate_values, create_certificate, find_certificates, get_certificate,
                           number_key, state_clause, update_certificate)
from .check import (CheckAnswer, CityAnswer, Recognised, Verification, check_from_params, check_in_city,
                    check_recognition, recognised_by, verify_certificate)
from .common import today
from .recognitions import (covering_clause, create_recognition, current_state, get_recognition, history,
                           in_force_clause, resume_recognition, revoke_recognition, state_on, suspend_recognition)
from .spaces import create_space, get_space, link_resource, space_values, unlink_resource, update_space

__all__ = [
    "CheckAnswer", "CityAnswer", "Recognised", "Verification", "certificate_state", "check_in_city", "number_key",
    "recognised_by", "state_clause", "verify_certificate",
    "certificate_values", "check_from_params", "check_recognition", "check_uscc", "covering_clause",
    "create_body", "create_certificate", "create_recognition", "create_space", "current_state", "find_body",
    "find_certificates", "get_body", "get_certificate", "get_recognition", "get_space", "history",
    "in_force_clause", "link_resource", "managed_bodies", "normalise_uscc", "resume_recognition",
    "revoke_recognition", "space_values", "state_on", "suspend_recognition", "today", "unlink_resource",
    "update_body", "update_certificate", "update_space",
]
