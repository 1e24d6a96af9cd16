"""The small server-rendered pages the e-mailed links open by default (ACCOUNT_LINK_BASE_URL):
`/account/verify-email/` and `/account/password-reset/`. They call the same services as the API.

A GET only shows a form: following the link does nothing until the person presses the button, so
a mail scanner that opens links cannot use up a single-use link.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import services
from config.errors import DomainError


class LinkForm(forms.Form):
    uid = forms.CharField(max_length=64, widget=forms.HiddenInput)
    token = forms.CharField(max_length=128, widget=forms.HiddenInput)


class NewPasswordForm(LinkForm):
    new_password = forms.CharField(label="New password", max_length=128, widget=forms.PasswordInput)
    repeat = forms.CharField(label="The same again", max_length=128, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("repeat"):
            raise ValidationError("The two passwords differ.")
        return data


def _messages(error: Exception) -> list[str]:
    if isinstance(error, DomainError):
        return [error.message]
    return list(error.messages)


def _page(request, form_class, template: str, done: str, action):
    form = form_class(request.POST if request.method == "POST" else request.GET)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except (DomainError, ValidationError) as error:
            errors = _messages(error)
        else:
            return render(request, "accounts/pages/done.html", {"title": done})
    elif request.method == "POST":
        errors = [message for messages in form.errors.values() for message in messages]
    elif not (request.GET.get("uid") and request.GET.get("token")):
        errors = ["This link is incomplete; open the whole link from the e-mail."]
    return render(request, template, {"form": form, "errors": errors}, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def verify_email_page(request):
    return _page(
        request,
        LinkForm,
        "accounts/pages/verify_email.html",
        "Your e-mail address is confirmed; you can log in now.",
        lambda data: services.email_verify(uid=data["uid"], token=data["token"]),
    )


@sensitive_post_parameters("new_password", "repeat")
@require_http_methods(["GET", "POST"])
def password_reset_page(request):
    return _page(
        request,
        NewPasswordForm,
        "accounts/pages/password_reset.html",
        "Your password is changed and every session has ended; log in with it.",
        lambda data: services.password_reset_confirm(
            uid=data["uid"], token=data["token"], new_password=data["new_password"]
        ),
    )
