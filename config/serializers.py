"""Serializer building blocks shared by the apps."""

from collections.abc import Mapping

from rest_framework import serializers


class StrictInputMixin:
    """For input serializers: a body with a field this serializer does not take (unknown, read-only,
    or not one this caller may write: each role has its own input serializer) answers 400 naming
    each such field, instead of the field being dropped in silence. Nested serializers that use
    it refuse their own unknown fields the same way."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = [name for name, field in self.fields.items() if not field.read_only]
            refused = {}
            for name, value in data.items():
                if name not in self.fields:
                    refused[name] = [
                        f"This field is not accepted here; the fields you may send are: {', '.join(writable)}."
                    ]
                elif name not in writable:
                    refused[name] = ["This field is read-only."]
                elif _is_text(self.fields[name]) and value is not None and not isinstance(value, str):
                    # DRF would store 42 as "42"; a client that sent a number meant something else.
                    refused[name] = [f"Send text here, not {type(value).__name__}."]
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)


def _is_text(field) -> bool:
    return isinstance(field, serializers.CharField)
