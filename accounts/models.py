from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()./-]{4,30}$",
    "Enter a phone number of digits, spaces and ( ) . / -, optionally starting with +.",
)
username_validator = RegexValidator(
    r"^[\w.+-]+\Z",
    "Enter a username of letters, digits and . + - _ only (no @: e-mail addresses log in separately).",
)


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    DOCTOR = "doctor", "Doctor"
    PATIENT = "patient", "Patient"


class UserManager(DjangoUserManager):
    # Django's manager passes is_staff, which is derived from the role here.
    def create_user(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(username, email, password, **extra_fields)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.update(is_superuser=True, role=Role.ADMIN)
        return self._create_user(username, email, password, **extra_fields)


class User(AbstractUser):
    """An account. What it may do follows from `role`; superusers are always admins."""

    username = models.CharField(
        "username",
        max_length=150,
        unique=True,
        validators=[username_validator],
        error_messages={"unique": "A user with this username already exists."},
    )
    email = models.EmailField("e-mail address", blank=True)
    phone = models.CharField(max_length=32, blank=True, validators=[phone_validator])
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    objects = UserManager()

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="accounts_user_role_valid",
                violation_error_message="Role must be admin, doctor or patient.",
            ),
            models.CheckConstraint(
                condition=models.Q(is_superuser=False) | models.Q(role=Role.ADMIN),
                name="accounts_user_superuser_is_admin",
                violation_error_message="A superuser must have the admin role.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message="A user with this e-mail address already exists.",
                violation_error_code="email_taken",
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message="A user with this username already exists.",
                violation_error_code="username_taken",
            ),
        ]
        indexes = [models.Index(fields=["role", "is_active"], name="accounts_user_role_active")]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_doctor(self) -> bool:
        return self.role == Role.DOCTOR

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    # Replaces AbstractUser's is_staff column: staff status is the role, not a second flag that
    # could disagree with it. Admins use the Django admin and Silk; nobody else does.
    @property
    def is_staff(self) -> bool:
        return self.is_admin

    # Admins hold every model permission in the Django admin; the API checks roles instead.
    def has_perm(self, perm, obj=None):
        return self.is_active and self.is_admin

    def has_module_perms(self, app_label):
        return self.is_active and self.is_admin
