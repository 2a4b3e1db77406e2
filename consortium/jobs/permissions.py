"""One question: who may see a job (its page, progress, file, cancel)."""
from consortium.core.roles import is_signed_in


def can_view(actor, job, visitor_key_hashes=()) -> bool:
    """Its owner; for a visitor's job, whoever holds its key. Not the secretariat: a job's
    file holds what its owner may see, which may be more than anyone else may."""
    if job.owner_id is not None:
        return is_signed_in(actor) and actor.id == job.owner_id
    return job.visitor_key_hash is not None and job.visitor_key_hash in visitor_key_hashes
