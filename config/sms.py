"""Text messages behind a small backend interface, chosen by the SMS_BACKEND setting.

To use a provider, write a class with `send_messages(messages) -> int` (Twilio, MessageBird,
an SMPP gateway, ...), put its dotted path in SMS_BACKEND and its credentials in the
environment. Nothing else changes: callers use `send_sms(to, body)`.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class BaseSmsBackend:
    def send_messages(self, messages: list[TextMessage]) -> int:
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Development default: each message becomes a log line instead of a text."""

    def send_messages(self, messages):
        for message in messages:
            logger.info("SMS to %s: %s", message.to, message.body)
        return len(messages)


class LocMemSmsBackend(BaseSmsBackend):
    """Tests: messages collect in `outbox`, like django.core.mail.outbox."""

    outbox: list[TextMessage] = []

    def send_messages(self, messages):
        LocMemSmsBackend.outbox.extend(messages)
        return len(messages)


def send_sms(to: str, body: str) -> int:
    return import_string(settings.SMS_BACKEND)().send_messages([TextMessage(to=to, body=body)])
