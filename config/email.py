"""E-mail built from a template pair (plain text and HTML) with the clinic's name and address."""

from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def templated_email(*, to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """`template` names `<template>.txt` and `<template>.html`; both extend email/base.*."""
    context = {"clinic_name": settings.CLINIC_NAME, "clinic_address": settings.CLINIC_ADDRESS, **context}
    message = EmailMultiAlternatives(
        subject=f"{settings.CLINIC_NAME}: {subject}",
        body=render_to_string(f"{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def calendar_attachment(ics: bytes, *, method: str) -> MIMEText:
    """An .ics part whose Content-Type carries the iTIP method, as calendar clients expect."""
    part = MIMEText(ics.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="appointment.ics")
    return part
