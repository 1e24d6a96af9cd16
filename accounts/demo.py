"""Demo accounts for `manage.py seed_demo`. Idempotent: existing accounts are left as they are."""

from accounts import services
from accounts.models import Role, User

DEMO_PASSWORD = "clinic-demo-pass"  # noqa: S105 - printed by seed_demo, demo data only


def _account(username: str, role: str, first_name: str, last_name: str, **extra) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            email=f"{username}@example.com",
            first_name=first_name,
            last_name=last_name,
            **extra,
        )
    return user


def seed() -> User:
    return _account("admin", Role.ADMIN, "Ada", "Admin", is_superuser=True)


def seed_receptionist() -> User:
    """The front desk: books, reschedules, checks in; never sees clinical records."""
    return _account("desk", Role.RECEPTIONIST, "Rita", "Reception")
