"""Demo accounts for `manage.py seed_demo`. Idempotent: existing accounts are left as they are."""

from accounts import services
from accounts.models import Role, User

DEMO_PASSWORD = "clinic-demo-pass"  # noqa: S105 - printed by seed_demo, demo data only


def ensure_user(*, username: str, role: str, first_name: str, last_name: str, email: str, **extra) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            email=email,
            first_name=first_name,
            last_name=last_name,
            **extra,
        )
    return user


def seed() -> list[User]:
    admin = ensure_user(
        username="admin", role=Role.ADMIN, first_name="Ada", last_name="Admin", email="admin@example.com"
    )
    if not admin.is_superuser:
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
    patient = ensure_user(
        username="alice", role=Role.PATIENT, first_name="Alice", last_name="Walker", email="alice@example.com"
    )
    return [admin, patient]
