from django.conf import settings
from rest_framework import serializers

from accounts.serializers import AccountInputSerializer
from config.fields import IdField, WallClockTimeField
from config.rows import decimal_writer, full_name
from config.serializers import StrictInputMixin
from doctors.models import Doctor, DoctorVisitType, Specialization, VisitType, WorkingHours


class UniqueNameMixin:
    """A name unique whatever its case (the model's constraint), refused on the field by name."""

    def validate_name(self, value):
        model = self.Meta.model
        others = model.objects.filter(name__iexact=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(f"A {model._meta.verbose_name} with this name already exists.")
        return value


class SpecializationSerializer(StrictInputMixin, UniqueNameMixin, serializers.ModelSerializer):
    class Meta:
        model = Specialization
        fields = ["id", "name", "description"]


class SpecializationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialization
        fields = ["id", "name"]


class DoctorBriefSerializer(serializers.Serializer):
    """A doctor as other resources show them (appointments, treatments, prescriptions)."""

    id = serializers.IntegerField()
    full_name = serializers.CharField(source="user.full_name")
    specialization = serializers.CharField(source="specialization.name")


class WorkingHoursSerializer(StrictInputMixin, serializers.ModelSerializer):
    start_time = WallClockTimeField()
    end_time = WallClockTimeField()

    class Meta:
        model = WorkingHours
        fields = ["weekday", "start_time", "end_time"]
        # Uniqueness is checked for the whole weekly set by the service, not per row.
        validators = []

    def validate(self, attrs):
        # Every period is whole, even inside a PATCH (where DRF would skip missing fields).
        missing = {
            name: ["This field is required."] for name in ("weekday", "start_time", "end_time") if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        if attrs["end_time"] <= attrs["start_time"]:
            raise serializers.ValidationError({"end_time": ["The end time must be after the start time."]})
        return attrs


class DoctorSerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField(read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    is_active = serializers.BooleanField(source="user.is_active", read_only=True)
    specialization = SpecializationBriefSerializer(read_only=True)
    currency = serializers.SerializerMethodField()

    class Meta:
        model = Doctor
        fields = [
            "id",
            "user_id",
            "first_name",
            "last_name",
            "full_name",
            *Doctor.EDITABLE_FIELDS,
            "currency",
            "is_active",
        ]
        read_only_fields = fields

    def get_currency(self, doctor) -> str:
        return settings.CLINIC_CURRENCY


# The columns doctor_rows reads (the list's query already joins the account and specialization).
DOCTOR_ROW_COLUMNS = (
    "id",
    "user_id",
    "user__first_name",
    "user__last_name",
    "specialization_id",
    "specialization__name",
    *(name for name in Doctor.EDITABLE_FIELDS if name != "specialization"),
    "user__is_active",
)


def doctor_rows(rows: list[dict]) -> list[dict]:
    """DoctorSerializer's output for a page of `values(*DOCTOR_ROW_COLUMNS)` rows, its fields in
    its order (config.rows; tests/test_fast_rows.py holds the two equal)."""
    fee = decimal_writer(Doctor._meta.get_field("consultation_fee"))
    currency = settings.CLINIC_CURRENCY
    written = []
    for row in rows:
        item = {
            "id": row["id"],
            "user_id": row["user_id"],
            "first_name": row["user__first_name"],
            "last_name": row["user__last_name"],
            "full_name": full_name(row["user__first_name"], row["user__last_name"]),
        }
        for name in Doctor.EDITABLE_FIELDS:
            if name == "specialization":
                item[name] = {"id": row["specialization_id"], "name": row["specialization__name"]}
            elif name == "consultation_fee":
                item[name] = fee(row[name])
            else:
                item[name] = row[name]
        item["currency"] = currency
        item["is_active"] = row["user__is_active"]
        written.append(item)
    return written


class DoctorAdminUpdateSerializer(StrictInputMixin, serializers.ModelSerializer):
    specialization = IdField(queryset=Specialization.objects.all())

    class Meta:
        model = Doctor
        fields = list(Doctor.EDITABLE_FIELDS)


class DoctorCreateSerializer(DoctorAdminUpdateSerializer):
    """Admin: a doctor and their user account in one request."""

    user = AccountInputSerializer()
    working_hours = WorkingHoursSerializer(many=True, required=False)

    class Meta(DoctorAdminUpdateSerializer.Meta):
        fields = ["user", *Doctor.EDITABLE_FIELDS, "working_hours"]


class DoctorSelfUpdateSerializer(StrictInputMixin, serializers.ModelSerializer):
    """What a doctor edits of their own profile; credentials and the fee are the hospital's."""

    class Meta:
        model = Doctor
        fields = list(Doctor.SELF_EDITABLE_FIELDS)


class VisitTypeBriefSerializer(serializers.ModelSerializer):
    """A visit type as other resources show it (appointments, slots, offerings)."""

    class Meta:
        model = VisitType
        fields = ["id", "name", "duration_minutes", "buffer_before_minutes", "buffer_after_minutes"]
        read_only_fields = fields


class VisitTypeSerializer(StrictInputMixin, UniqueNameMixin, serializers.ModelSerializer):
    specializations = IdField(
        many=True,
        queryset=Specialization.objects.all(),
        required=False,
        help_text="Ids of the specializations that may offer it; empty: any.",
    )
    currency = serializers.SerializerMethodField()

    class Meta:
        model = VisitType
        fields = [
            "id",
            "name",
            "description",
            "duration_minutes",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "fee",
            "currency",
            "bookable_online",
            "is_active",
            "specializations",
        ]
        read_only_fields = ["id", "currency"]

    def get_currency(self, visit_type) -> str:
        return settings.CLINIC_CURRENCY


class OfferingSerializer(serializers.ModelSerializer):
    """One visit type a doctor offers (doctors/{id}/visit-types/)."""

    visit_type = VisitTypeBriefSerializer(read_only=True)

    class Meta:
        model = DoctorVisitType
        fields = ["visit_type", "is_default"]
        read_only_fields = fields


class OfferingInputSerializer(StrictInputMixin, serializers.Serializer):
    visit_type = IdField(queryset=VisitType.objects.all(), help_text="A visit type's id.")
    is_default = serializers.BooleanField(default=False, help_text="Exactly one of the set is the default.")
