from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # `username__lower=...` matches the unique indexes on LOWER(username) and LOWER(email);
        # `__iexact` compiles to UPPER(...) on PostgreSQL and could not use them.
        from django.db.models import CharField
        from django.db.models.functions import Lower

        CharField.register_lookup(Lower)

        # django-axes reports lockouts by a signal; this connects the receiver that audits them
        # (the one signal the project listens to, because the library speaks no other way).
        from accounts import lockout  # noqa: F401
