from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the e-mail address, both case-insensitive.

    Usernames cannot contain "@", so a login containing one is always an e-mail address. An
    account whose sign-up address is not yet confirmed cannot log in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        login = username or kwargs.get(user_model.USERNAME_FIELD)
        if not login or password is None:
            return None
        users = user_model._default_manager.all()
        if "@" in login:
            # "email is not blank" lets PostgreSQL use the partial unique index on LOWER(email).
            users = users.exclude(email="").filter(email__lower=login.lower())
        else:
            users = users.filter(username__lower=login.lower())
        try:
            user = users.get()
        except (user_model.DoesNotExist, user_model.MultipleObjectsReturned):
            # Hash anyway so a missing account takes as long as a wrong password.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and getattr(user, "email_verified", True)
