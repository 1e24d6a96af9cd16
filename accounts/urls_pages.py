"""/account/: the pages the e-mailed links open (accounts.views.pages)."""

from django.urls import path

from accounts.links import RESET_PAGE, VERIFY_PAGE
from accounts.views import pages

urlpatterns = [
    path(f"{VERIFY_PAGE}/", pages.verify_email_page, name="account-verify-email"),
    path(f"{RESET_PAGE}/", pages.password_reset_page, name="account-password-reset"),
]
