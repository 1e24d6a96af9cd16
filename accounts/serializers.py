from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from accounts.auth_serializers import PASSWORD_MAX_LENGTH
from accounts.models import AuditEvent, Role, User
from config.serializers import StrictInputMixin


class UserSerializer(serializers.ModelSerializer):
    email = serializers.CharField(read_only=True, help_text="E-mail address; empty for walk-in patients without one.")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "phone",
            "role",
            "is_active",
            "date_joined",
            "last_login",
        ]
        read_only_fields = fields


class FrontDeskOmitsMixin:
    """For output serializers of records the front desk sees: the fields named in
    `Meta.clinical_fields` are left out (not blanked) when the request's user is a receptionist.
    Views pass the request in the context (get_serializer does)."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and getattr(request.user, "is_receptionist", False):
            for name in self.clinical_fields_of(instance):
                data.pop(name, None)
        return data

    def clinical_fields_of(self, instance) -> list[str]:
        """The fields of this record left out for the front desk (a subclass may decide per record)."""
        return self.Meta.clinical_fields


class FrontDeskOmitsSchema(OpenApiSerializerExtension):
    """In the OpenAPI schema the clinical fields of these records are optional (not "required"),
    since the front desk's responses leave them out."""

    target_class = FrontDeskOmitsMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        clinical = set(self.target.Meta.clinical_fields)
        schema["required"] = [name for name in schema.get("required", []) if name not in clinical]
        return schema


class ActorSerializer(serializers.Serializer):
    """Who did something (an appointment event, a treatment revision)."""

    id = serializers.IntegerField()
    full_name = serializers.CharField()
    role = serializers.CharField()


class UniqueAccountFieldsMixin:
    """Friendly 400s for a taken username or e-mail (case-insensitive, like the constraints)."""

    def _unique(self, field: str, value: str, message: str) -> str:
        if not value:
            return value
        others = User.objects.filter(**{f"{field}__lower": value.lower()})
        if getattr(self, "instance", None) is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(message)
        return value

    def validate_username(self, value):
        return self._unique("username", value, "A user with this username already exists.")

    def validate_email(self, value):
        return self._unique("email", value, "A user with this e-mail address already exists.")


class UserCreateSerializer(StrictInputMixin, UniqueAccountFieldsMixin, serializers.ModelSerializer):
    """Staff accounts (admins, receptionists). Doctors and patients are created with their records
    (doctors/, patients/), so that no doctor or patient account exists without one."""

    password = serializers.CharField(write_only=True, max_length=PASSWORD_MAX_LENGTH, style={"input_type": "password"})
    role = serializers.ChoiceField(
        choices=[Role.ADMIN, Role.RECEPTIONIST],
        default=Role.ADMIN,
        help_text="admin or receptionist; create doctors and patients at doctors/ and patients/.",
    )

    class Meta:
        model = User
        fields = ["username", "email", "password", "first_name", "last_name", "phone", "role"]


class UserUpdateSerializer(StrictInputMixin, UniqueAccountFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "phone", "is_active"]


class AccountInputSerializer(StrictInputMixin, UniqueAccountFieldsMixin, serializers.ModelSerializer):
    """The account part of sign-up and of admin-created doctors and patients (role set by the caller).

    The doctors and patients apps nest this one definition rather than keep copies of it."""

    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=PASSWORD_MAX_LENGTH, style={"input_type": "password"})

    class Meta:
        model = User
        fields = ["username", "email", "password", "first_name", "last_name", "phone"]
        extra_kwargs = {"first_name": {"required": True}, "last_name": {"required": True}}

    def validate(self, attrs):
        # The service checks again; checking here puts the message under this (maybe nested) field.
        if attrs.get("password"):
            candidate = User(**{name: attrs.get(name, "") for name in ("username", "email", "first_name", "last_name")})
            try:
                password_validation.validate_password(attrs["password"], candidate)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"password": list(exc.messages)}) from None
        return attrs


class AccountSerializer(StrictInputMixin, UniqueAccountFieldsMixin, serializers.ModelSerializer):
    """The caller's own account: the role and username are shown but never changed here."""

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "phone", "role", "date_joined"]
        read_only_fields = ["id", "username", "role", "date_joined"]


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "role",
            "action",
            "object_type",
            "object_id",
            "patient_id",
            "ip_address",
            "request_id",
        ]
        read_only_fields = fields

    def get_actor_name(self, event) -> str:
        return (event.actor.get_full_name() or event.actor.username) if event.actor else ""
