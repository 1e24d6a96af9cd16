"""The audit trail: who read or changed patient data, and lockouts of accounts."""

from collections.abc import Callable, Iterable

from accounts.middleware import audit_context
from accounts.models import AuditEvent, User


def _audit_event(*, actor: User | None, action: str, object_type: str, object_id, patient_id) -> AuditEvent:
    context = audit_context.get()
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        role=getattr(actor, "role", ""),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        patient_id=patient_id,
        ip_address=context.ip_address if context else None,
        request_id=context.request_id if context else "",
    )


def audit_reads(
    *, actor: User, object_type: str, objects: Iterable, patient_of: Callable[[object], int | None]
) -> None:
    """Note that `actor` read these objects. Within a request they are written together when it
    ends (one INSERT however many rows a page holds); outside one, at once."""
    audit_read_rows(actor=actor, object_type=object_type, rows=[(obj.pk, patient_of(obj)) for obj in objects])


def audit_read_rows(*, actor: User, object_type: str, rows: Iterable[tuple]) -> None:
    """The same as audit_reads, for rows given as (object id, patient id): the fast list paths
    read no model instances."""
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    role = getattr(actor, "role", "")
    reads = [(actor_id, role, object_type, object_id, patient_id) for object_id, patient_id in rows]
    context = audit_context.get()
    if context is None:
        AuditEvent.objects.insert_reads(reads, ip_address=None, request_id="")
    else:
        context.pending.extend(reads)


def audit_write(*, actor: User, action: str, object_type: str, object_id, patient_id: int | None) -> None:
    """Record a change to patient data; call it inside the service's transaction, so the change
    and its audit row commit or roll back together."""
    _audit_event(actor=actor, action=action, object_type=object_type, object_id=object_id, patient_id=patient_id).save()


def audit_lockout(*, login: str, ip_address: str | None) -> None:
    """Record that a login (username or e-mail address) was locked out after repeated failures.

    Written at once: the request that triggers it answers an error, so the request's pending
    reads are not where it belongs."""
    login = (login or "")[:64]
    actor = User.objects.filter(username__lower=login.lower()).first() if login else None
    event = _audit_event(
        actor=actor, action=AuditEvent.Action.LOCKOUT, object_type="account", object_id=login, patient_id=None
    )
    event.ip_address = ip_address or event.ip_address
    event.save()
