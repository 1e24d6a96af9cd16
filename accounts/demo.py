"""Demo accounts for `manage.py seed_demo`. Idempotent: existing accounts are left as they are."""

from accounts import services
from accounts.models import Role, User

DEMO_PASSWORD = "clinic-demo-pass"  # noqa: S105 - printed by seed_demo, demo data only


def seed() -> User:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = services.user_create(
            username="admin",
            password=DEMO_PASSWORD,
            role=Role.ADMIN,
            email="admin@example.com",
            first_name="Ada",
            last_name="Admin",
            is_superuser=True,
        )
    return admin


def seed_receptionist() -> User:
    """The front desk: books, reschedules, checks in; never sees clinical records."""
    desk = User.objects.filter(username="desk").first()
    if desk is None:
        desk = services.user_create(
            username="desk",
            password=DEMO_PASSWORD,
            role=Role.RECEPTIONIST,
            email="desk@example.com",
            first_name="Rita",
            last_name="Reception",
        )
    return desk
