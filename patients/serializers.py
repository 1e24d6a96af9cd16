from rest_framework import serializers

from accounts.models import username_validator
from accounts.serializers import AccountInputSerializer, AccountSerializer, FrontDeskOmitsMixin
from config.fields import IdField
from config.serializers import StrictInputMixin
from doctors.models import Doctor
from doctors.serializers import DoctorBriefSerializer, DoctorSerializer, WorkingHoursSerializer
from patients.models import Assignment, Patient


class PatientBriefSerializer(serializers.Serializer):
    """A patient as other resources show them (assignments, appointments, clinical records)."""

    id = serializers.IntegerField()
    full_name = serializers.CharField(source="user.full_name")


class PatientSerializer(FrontDeskOmitsMixin, serializers.ModelSerializer):
    user_id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True, help_text="E-mail address; may be empty.")
    phone = serializers.CharField(source="user.phone", read_only=True)
    is_active = serializers.BooleanField(source="user.is_active", read_only=True)

    class Meta:
        model = Patient
        fields = [
            "id",
            "user_id",
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "is_active",
            *Patient.EDITABLE_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        clinical_fields = list(Patient.CLINICAL_FIELDS)


class PatientSelfSerializer(StrictInputMixin, serializers.ModelSerializer):
    """The fields a patient keeps up to date themselves."""

    class Meta:
        model = Patient
        fields = list(Patient.SELF_EDITABLE_FIELDS)


class PatientAdminSerializer(PatientSelfSerializer):
    class Meta(PatientSelfSerializer.Meta):
        fields = list(Patient.EDITABLE_FIELDS)


class PatientFrontDeskSerializer(PatientSelfSerializer):
    """What a receptionist keeps: demographics, contact, insurance, the national id."""

    class Meta(PatientSelfSerializer.Meta):
        fields = list(Patient.FRONT_DESK_EDITABLE_FIELDS)


def patient_input_serializer(user):
    """The fields of a patient record `user` may write."""
    if user.is_admin:
        return PatientAdminSerializer
    if user.is_receptionist:
        return PatientFrontDeskSerializer
    return PatientSelfSerializer


class WalkInAccountSerializer(AccountInputSerializer):
    """An admin registering a patient at the desk: no e-mail or password needed."""

    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    password = serializers.CharField(write_only=True, max_length=128, required=False)


class PatientCreateSerializer(PatientAdminSerializer):
    """The front desk registers a walk-in: the account (no e-mail or password needed) and the
    record. A receptionist's fields are those of PatientFrontDeskSerializer (views choose)."""

    user = WalkInAccountSerializer()
    confirm_duplicate = serializers.BooleanField(
        default=False,
        write_only=True,
        help_text="true: register even though a patient with the same name and date of birth is on file.",
    )

    class Meta(PatientAdminSerializer.Meta):
        fields = ["user", *PatientAdminSerializer.Meta.fields, "confirm_duplicate"]
        # A national id on file is the service's 409 (patient_register_walk_in), not a 400 here.
        extra_kwargs = {"national_id": {"validators": []}}


class PatientFrontDeskCreateSerializer(PatientCreateSerializer):
    class Meta(PatientCreateSerializer.Meta):
        fields = ["user", *Patient.FRONT_DESK_EDITABLE_FIELDS, "confirm_duplicate"]


class RegisterSerializer(AccountInputSerializer):
    """Sign-up: account fields and (optional) patient record fields, side by side.

    A taken username or e-mail address is not an error here: the answer would tell anyone
    whether an account exists. The sign-up service tells the owner of the address instead."""

    class Meta(AccountInputSerializer.Meta):
        extra_kwargs = {
            **AccountInputSerializer.Meta.extra_kwargs,
            "username": {"validators": [username_validator]},
        }

    def validate_username(self, value):
        return value

    def validate_email(self, value):
        return value

    def get_fields(self):
        return {**super().get_fields(), **PatientSelfSerializer().get_fields()}

    def split(self) -> tuple[dict, dict]:
        account_fields = set(AccountInputSerializer.Meta.fields)
        data = self.validated_data
        return (
            {k: v for k, v in data.items() if k in account_fields},
            {k: v for k, v in data.items() if k not in account_fields},
        )


class AssignmentSerializer(FrontDeskOmitsMixin, serializers.ModelSerializer):
    doctor = DoctorBriefSerializer()
    patient = PatientBriefSerializer()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "doctor",
            "patient",
            "reason_for_assignment",
            "is_active",
            "assigned_by",
            "created_at",
            "ended_at",
            "ended_by",
        ]
        read_only_fields = fields
        clinical_fields = ["reason_for_assignment"]


class AssignmentCreateSerializer(StrictInputMixin, serializers.ModelSerializer):
    doctor = IdField(queryset=Doctor.objects.filter(user__is_active=True), purpose="who is active")
    patient = IdField(queryset=Patient.objects.filter(user__is_active=True), purpose="who is active")

    class Meta:
        model = Assignment
        fields = ["doctor", "patient", "reason_for_assignment"]
        # One active assignment per pair is checked by the service (and the database).
        validators = []


class AssignmentUpdateSerializer(StrictInputMixin, serializers.Serializer):
    reason_for_assignment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    is_active = serializers.BooleanField(required=False, help_text="Send false to end the assignment.")

    def validate_is_active(self, value):
        if value:
            raise serializers.ValidationError("An ended assignment cannot restart; create a new one.")
        return value


DOCTOR_PROFILE_FIELDS = [*DoctorSerializer.Meta.fields, "working_hours", "calendar_feed_enabled"]
DOCTOR_PROFILE_EDITABLE = [*Doctor.SELF_EDITABLE_FIELDS, "working_hours"]


class DoctorProfileSerializer(StrictInputMixin, DoctorSerializer):
    """A doctor's own profile: everything shown, their editable fields and weekly hours writable."""

    working_hours = WorkingHoursSerializer(many=True, required=False)
    calendar_feed_enabled = serializers.SerializerMethodField(
        help_text="Whether a calendar feed URL exists; POST /api/profile/calendar-feed/ makes a new one."
    )

    def get_calendar_feed_enabled(self, doctor) -> bool:
        return bool(doctor.calendar_token_hash)

    class Meta(DoctorSerializer.Meta):
        fields = DOCTOR_PROFILE_FIELDS
        read_only_fields = [name for name in DOCTOR_PROFILE_FIELDS if name not in DOCTOR_PROFILE_EDITABLE]


class PatientProfileSerializer(PatientSelfSerializer):
    """`id` is the patient record's own id, the one patients/{id}/history/ takes."""

    class Meta(PatientSelfSerializer.Meta):
        fields = ["id", *Patient.EDITABLE_FIELDS]
        read_only_fields = ["id", "national_id", "notes"]


class ProfileSerializer(AccountSerializer):
    """GET and PATCH /api/profile/: the account, plus `doctor` for doctors or `patient` for patients."""

    doctor = DoctorProfileSerializer(source="doctor_profile", required=False, allow_null=True)
    patient = PatientProfileSerializer(source="patient_profile", required=False, allow_null=True)

    class Meta(AccountSerializer.Meta):
        fields = [*AccountSerializer.Meta.fields, "doctor", "patient"]

    def validate(self, attrs):
        user = self.instance
        if attrs.get("doctor_profile") is not None and not hasattr(user, "doctor_profile"):
            raise serializers.ValidationError({"doctor": ["Only doctors have a doctor profile."]})
        if attrs.get("patient_profile") is not None and not hasattr(user, "patient_profile"):
            raise serializers.ValidationError({"patient": ["Only patients have a patient record."]})
        return attrs
