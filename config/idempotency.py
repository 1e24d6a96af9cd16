"""`Idempotency-Key` on POSTs that create: a retry with the same key and body returns the first
answer (status and body) and does nothing again.

Keys belong to the caller (the user, or the client address for anonymous sign-up), the method
and the path. Per request with a key:
1. The key is claimed: a row marked in progress, committed at once, so a concurrent request with
   the same key finds it (409 `idempotency_in_progress`) instead of doing the work a second time.
   A claim whose request died before answering (IDEMPOTENCY_LEASE_SECONDS) may be taken over.
2. The view runs inside a transaction, and a successful answer is stored in that same
   transaction: the work and its recorded answer commit together, so a process killed at any
   moment leaves either both or neither, never work without its answer.
3. An error answer (4xx) is stored too, after the rollback (the request changed nothing); a 5xx,
   or a 409 that says "try again" (TRANSIENT_CODES: a lost lock race), is not stored: the claim
   is released, and a retry runs again.
The same key with another body answers 422; after IDEMPOTENCY_KEY_HOURS a key may be used anew,
and its row is pruned (`prune_expired_keys`: run_worker's loop, and now and then a claim).
Bodies are fingerprinted with an HMAC under SECRET_KEY, not a bare hash: they hold passwords.
"""

import json
import random
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from config.exceptions import ConflictError
from config.middleware import client_ip
from config.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Answers that say "this attempt lost a race, try again": replaying them would refuse the retry.
TRANSIENT_CODES = frozenset({"concurrent_update", "idempotency_in_progress"})
PRUNE_ONE_CLAIM_IN = 100


class KeyReusedWithAnotherBody(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was used with another request body; send a new key for a new request."
    default_code = "idempotency_key_reused"


def _owner(request) -> str:
    user = request.user
    return f"user:{user.pk}" if user.is_authenticated else f"ip:{client_ip(request)}"


def fingerprint(data) -> str:
    """A keyed hash (HMAC-SHA256 under SECRET_KEY) of a parsed body: the same body gives the same
    value, and the stored value says nothing about a password inside it without the key."""
    payload = json.dumps(data, sort_keys=True, default=str)
    return salted_hmac("config.idempotency", payload, algorithm="sha256").hexdigest()


def prune_expired_keys(*, now=None) -> int:
    """Delete the keys older than IDEMPOTENCY_KEY_HOURS (they may be used anew). Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]


def _transient(response) -> bool:
    return response.status_code >= 500 or (
        response.status_code == status.HTTP_409_CONFLICT
        and isinstance(response.data, dict)
        and str(response.data.get("code")) in TRANSIENT_CODES
    )


def _claim(request, key: str) -> tuple[IdempotencyRecord | None, Response | None]:
    """(the claimed record, None) to go ahead, or (None, the stored answer) to replay it."""
    now = timezone.now()
    identity = {"owner": _owner(request), "method": request.method, "path": request.path, "key": key}
    body = fingerprint(request.data)
    IdempotencyRecord.objects.filter(
        **identity, created_at__lt=now - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    ).delete()
    if random.randrange(PRUNE_ONE_CLAIM_IN) == 0:  # noqa: S311 - a sampling rate, not a secret
        prune_expired_keys(now=now)
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(**identity, fingerprint=body, started_at=now), None
    except IntegrityError:
        pass
    record = IdempotencyRecord.objects.get(**identity)
    if record.fingerprint != body:
        raise KeyReusedWithAnotherBody()
    if record.state == IdempotencyRecord.State.COMPLETE:
        replay = Response(json.loads(record.body) if record.body else None, status=record.status_code)
        replay["Idempotent-Replayed"] = "true"
        return None, replay
    lease = timedelta(seconds=settings.IDEMPOTENCY_LEASE_SECONDS)
    taken = IdempotencyRecord.objects.filter(pk=record.pk, started_at__lt=now - lease).update(started_at=now)
    if not taken:
        raise ConflictError(
            "A request with this Idempotency-Key is still being processed; retry when it has finished.",
            "idempotency_in_progress",
        )
    record.started_at = now
    return record, None


def _store(record: IdempotencyRecord, response: Response) -> None:
    record.state = IdempotencyRecord.State.COMPLETE
    record.status_code = response.status_code
    record.body = JSONRenderer().render(response.data).decode() if response.data is not None else ""
    record.save(update_fields=["state", "status_code", "body"])


def idempotent(view_method):
    """For a DRF view's creating method (`create`, a `@action` POST): honour Idempotency-Key."""

    @wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or getattr(request, "idempotency_claimed", False):  # none, or an alias calling create
            return view_method(view, request, *args, **kwargs)
        request.idempotency_claimed = True
        if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise ValidationError({HEADER: [f"Send a key of 1 to {MAX_KEY_LENGTH} printable characters."]})
        record, replay = _claim(request, key)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                response = view_method(view, request, *args, **kwargs)
                if response.status_code < 400:
                    _store(record, response)  # with the work, in its transaction
        except Exception as exc:
            try:
                response = view.handle_exception(exc)  # the rolled-back request's 4xx answer
            except Exception:
                record.delete()  # not a 4xx: nothing to replay; a retry runs again
                raise
        if _transient(response):
            record.delete()
        elif record.state != IdempotencyRecord.State.COMPLETE:
            _store(record, response)
        return response

    wrapper.idempotent = True
    return wrapper
