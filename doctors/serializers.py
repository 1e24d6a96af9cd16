from django.conf import settings
from rest_framework import serializers

from accounts.serializers import AccountInputSerializer
from config.fields import AwareDateTimeField, IdField, WallClockTimeField
from doctors.availability import MAX_RANGE_DAYS
from doctors.models import Doctor, Specialization, TimeOff, WorkingHours


class SpecializationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialization
        fields = ["id", "name", "description"]

    def validate_name(self, value):
        others = Specialization.objects.filter(name__iexact=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError("A specialization with this name already exists.")
        return value


class SpecializationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialization
        fields = ["id", "name"]


class WorkingHoursSerializer(serializers.ModelSerializer):
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
    full_name = serializers.CharField(source="user.get_full_name", read_only=True)
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
            "specialization",
            "licence_number",
            "years_of_experience",
            "consultation_fee",
            "currency",
            "location",
            "bio",
            "time_zone",
            "slot_minutes",
            "is_accepting_patients",
            "is_active",
        ]
        read_only_fields = fields

    def get_currency(self, doctor) -> str:
        return settings.CLINIC_CURRENCY


class DoctorCreateSerializer(serializers.ModelSerializer):
    """Admin: a doctor and their user account in one request."""

    user = AccountInputSerializer()
    specialization = IdField(queryset=Specialization.objects.all())
    working_hours = WorkingHoursSerializer(many=True, required=False)

    class Meta:
        model = Doctor
        fields = [
            "user",
            "specialization",
            "licence_number",
            "years_of_experience",
            "consultation_fee",
            "location",
            "bio",
            "time_zone",
            "slot_minutes",
            "is_accepting_patients",
            "working_hours",
        ]


class DoctorAdminUpdateSerializer(serializers.ModelSerializer):
    specialization = IdField(queryset=Specialization.objects.all())

    class Meta:
        model = Doctor
        fields = [
            "specialization",
            "licence_number",
            "years_of_experience",
            "consultation_fee",
            "location",
            "bio",
            "time_zone",
            "slot_minutes",
            "is_accepting_patients",
        ]


class DoctorSelfUpdateSerializer(serializers.ModelSerializer):
    """What a doctor edits of their own profile; credentials and the fee are the hospital's."""

    class Meta:
        model = Doctor
        fields = ["years_of_experience", "location", "bio", "time_zone", "slot_minutes", "is_accepting_patients"]


class TimeOffSerializer(serializers.ModelSerializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()

    class Meta:
        model = TimeOff
        fields = ["id", "start", "end", "reason", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["The end must be after the start."]})
        return attrs

    def to_representation(self, time_off):
        data = super().to_representation(time_off)
        # Why a doctor is away is for them and admins; others see only that they are.
        if not self.context.get("show_reason", False):
            data["reason"] = ""
        return data


class SlotQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day, in the doctor's time zone (default today).")
    date_to = serializers.DateField(
        required=False, help_text=f"Last day, inclusive (default date_from + 13 days; at most {MAX_RANGE_DAYS} days)."
    )

    def validate(self, attrs):
        first, last = attrs["date_from"], attrs["date_to"]
        for name, value in (("date_from", first), ("date_to", last)):
            if not 1900 <= value.year <= 2200:
                raise serializers.ValidationError({name: ["Pick a date between 1900 and 2200."]})
        if last < first:
            raise serializers.ValidationError({"date_to": ["date_to must be on or after date_from."]})
        if (last - first).days + 1 > MAX_RANGE_DAYS:
            raise serializers.ValidationError({"date_to": [f"Ask for at most {MAX_RANGE_DAYS} days at a time."]})
        return attrs


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="In the doctor's time zone, with its offset.")
    end = serializers.DateTimeField()

    def to_representation(self, slot):
        zone = self.context["zone"]
        return {"start": slot.start.astimezone(zone).isoformat(), "end": slot.end.astimezone(zone).isoformat()}


class SlotsSerializer(serializers.Serializer):
    doctor = serializers.IntegerField()
    time_zone = serializers.CharField()
    slot_minutes = serializers.IntegerField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    slots = SlotSerializer(many=True)
