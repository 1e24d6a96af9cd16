from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models.functions import Lower
from django.utils import timezone

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
    RECEPTIONIST = "receptionist", "Receptionist"
    DOCTOR = "doctor", "Doctor"
    PATIENT = "patient", "Patient"


# Who runs the front desk (every doctor's schedule, bookings, check-ins, patients' demographics)
# and uses the Django admin: admins and receptionists. Neither are clinicians.
STAFF_ROLES = (Role.ADMIN, Role.RECEPTIONIST)


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
    # False from sign-up until the link e-mailed then is followed; such an account cannot log in.
    # Accounts staff create, and every account made before verification existed, count as verified.
    # (Database defaults too, so rows written by older code, or older migrations, get them.)
    email_verified = models.BooleanField(
        "e-mail verified",
        default=True,
        db_default=True,
        help_text="Sign-ups cannot log in until they follow the e-mailed link.",
    )
    # In every token; bumping it ends every session at once (password change or reset,
    # deactivation, role change, logging out everywhere). See accounts.authentication.
    token_version = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    objects = UserManager()

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="accounts_user_role_valid",
                violation_error_message="Role must be admin, receptionist, doctor or patient.",
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
        indexes = [
            models.Index(fields=["role", "is_active"], name="accounts_user_role_active"),
            # Patients and doctors are listed by name.
            models.Index(fields=["last_name", "first_name"], name="accounts_user_name"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    # Serializers read `full_name`, not `get_full_name`: DRF inspects the signature of a method
    # source on every row it renders (about 1.5 ms of an appointments page); a property it reads.
    @property
    def full_name(self) -> str:
        return self.get_full_name()

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_receptionist(self) -> bool:
        return self.role == Role.RECEPTIONIST

    @property
    def is_doctor(self) -> bool:
        return self.role == Role.DOCTOR

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    # Replaces AbstractUser's is_staff column: staff status is the role, not a second flag that
    # could disagree with it. Admins and receptionists use the Django admin; only admins Silk.
    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    # Admins hold every model permission in the Django admin. Receptionists hold none by this
    # route: each admin page says which roles it serves (config.admin.RoleAdminMixin), so a page
    # that says nothing stays closed to them. The API checks roles, not these.
    def has_perm(self, perm, obj=None):
        return self.is_active and self.is_admin

    def has_module_perms(self, app_label):
        return self.is_active and self.is_staff


class AuditEventManager(models.Manager):
    def insert_reads(self, rows: list[tuple], *, ip_address: str | None, request_id: str) -> None:
        """Write reads, each row (actor_id, role, object_type, object_id, patient_id), as one
        INSERT statement, without model instances.

        Outside a transaction (a request's reads are written after its view, in autocommit) the
        one statement is its own transaction: it commits before the response leaves, with the
        database's usual durability (PostgreSQL's synchronous commit, SQLite's WAL), and without
        the BEGIN and COMMIT round trips bulk_create would wrap it in."""
        if not rows:
            return
        connection = connections[self.db]
        opts = self.model._meta
        columns = (
            "actor_id",
            "role",
            "action",
            "object_type",
            "object_id",
            "patient_id",
            "at",
            "ip_address",
            "request_id",
        )
        at = opts.get_field("at").get_db_prep_save(timezone.now(), connection)
        ip_address = opts.get_field("ip_address").get_db_prep_save(ip_address, connection)
        read = self.model.Action.READ.value
        params = []
        for actor_id, role, object_type, object_id, patient_id in rows:
            params += (actor_id, role, read, object_type, str(object_id), patient_id, at, ip_address, request_id)
        quote = connection.ops.quote_name
        values = "(" + ", ".join(["%s"] * len(columns)) + ")"
        # Only the model's own quoted names and placeholders go into the text; values are parameters.
        sql = (
            f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            f"VALUES {', '.join([values] * len(rows))}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


class AuditEvent(models.Model):
    """Who touched which patient's data, when and from where. Append-only: nothing updates or
    deletes these rows (no API for it, read-only in the admin).

    Nine columns on purpose: SQLite allows 999 parameters per statement, so a full page of 100
    reads still goes in one INSERT. What exactly changed is in each record's own history."""

    class Action(models.TextChoices):
        READ = "read", "Read"
        CREATE = "create", "Create"
        UPDATE = "update", "Update"
        CANCEL = "cancel", "Cancel"
        # An account locked after repeated failed logins (django-axes); object_id is the login.
        LOCKOUT = "lockout", "Lockout"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=16, blank=True, help_text="The actor's role at the time.")
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    # A plain number, not a foreign key: the trail must outlive any change to the records.
    patient_id = models.BigIntegerField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditEventManager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at"], name="accounts_audit_at"),
            models.Index(fields=["actor", "at"], name="accounts_audit_actor_at"),
            models.Index(fields=["patient_id", "at"], name="accounts_audit_patient_at"),
            models.Index(fields=["action", "at"], name="accounts_audit_action_at"),
        ]

    def __str__(self):
        return f"{self.actor} {self.action} {self.object_type} {self.object_id} at {self.at:%Y-%m-%d %H:%M}"


class TokenSession(models.Model):
    """One login: every token issued from it (the first pair and each rotated refresh token, a
    family) carries its `sid`. Ending the session ends all of them at once (logout, or a rotated
    refresh token used again); accounts.authentication refuses tokens of an ended session."""

    class EndReason(models.TextChoices):
        LOGOUT = "logout", "Logged out"
        REVOKED = "revoked", "All sessions ended"
        REUSED = "reused", "A rotated refresh token was used again"

    sid = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="token_sessions")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "ended_at"], name="accounts_session_user_ended")]

    def __str__(self):
        return f"{self.user} {self.sid[:8]}"
