"""Helpers for the apps' services."""

from django.db import models


def model_update(*, instance: models.Model, fields: tuple[str, ...] | list[str], data: dict) -> list[str]:
    """Set the given fields of `instance` from `data`, validate them and save what changed (with
    `updated_at`, when the model has one). Returns the names that changed.

    `fields` says which names a caller may change: a key of `data` outside it is a programming
    error (ValueError), never silently ignored. The caller opens the transaction."""
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"{type(instance).__name__} fields that cannot be updated here: {sorted(unknown)}")
    changed = [name for name in fields if name in data and getattr(instance, name) != data[name]]
    if not changed:
        return []
    for name in changed:
        setattr(instance, name, data[name])
    # Only what changed is validated again (the rest was valid when saved), and so only the
    # constraints that involve a changed field: editing a note does not re-run an overlap check.
    instance.full_clean(exclude=[field.name for field in instance._meta.fields if field.name not in changed])
    update_fields = list(changed)
    if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    return changed
