"""A doctor's schedule as booking sees it: time off, date overrides, clinic closures, free slots.

What can take booked time away is written with `on_conflict`; the answer to such a write (a POST
or PATCH) is the row as stored plus the visits it cancelled (the `...WrittenSerializer`s), which
a plain read does not carry."""

from rest_framework import serializers

from appointments.availability import MAX_RANGE_DAYS
from config.fields import AwareDateTimeField, IdField, WallClockTimeField, validate_day_range
from config.serializers import StrictInputMixin
from doctors.models import ClinicClosure, ScheduleOverride, TimeOff, VisitType
from doctors.serializers import VisitTypeBriefSerializer

CANCELLED_HELP = "The appointments this write cancelled (on_conflict=cancel); empty otherwise."


class ConflictChoiceSerializer(serializers.Serializer):
    """What to do with booked visits that a schedule change would leave outside the doctor's time."""

    on_conflict = serializers.ChoiceField(
        choices=["refuse", "cancel"],
        default="refuse",
        write_only=True,
        help_text="refuse (default): 409 listing the visits in the way; cancel: cancel them, telling the patients.",
    )
    patient_message = serializers.CharField(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        write_only=True,
        help_text='With cancel: the reason patients read (default "Your doctor is unavailable at this time").',
    )


class ConflictQuerySerializer(ConflictChoiceSerializer):
    """The same choice for a DELETE, as query parameters."""


class CancelledAppointmentsMixin(serializers.Serializer):
    """For the answer to a write: the visits it cancelled (the view puts them in the context)."""

    cancelled_appointments = serializers.SerializerMethodField(help_text=CANCELLED_HELP)

    def get_cancelled_appointments(self, instance) -> list[int]:
        return self.context.get("cancelled", [])


class CancelledAppointmentsSerializer(serializers.Serializer):
    """The answer to a DELETE with on_conflict=cancel."""

    cancelled_appointments = serializers.ListField(child=serializers.IntegerField(), help_text=CANCELLED_HELP)


class PrivateReasonMixin:
    """Why a doctor is away is for them and admins; others see only that they are."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("show_reason", False):
            data["reason"] = ""
        return data


class TimeOffSerializer(StrictInputMixin, PrivateReasonMixin, ConflictChoiceSerializer, serializers.ModelSerializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()

    class Meta:
        model = TimeOff
        fields = ["id", "start", "end", "reason", "created_at", "on_conflict", "patient_message"]
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["The end must be after the start."]})
        return attrs


class TimeOffWrittenSerializer(CancelledAppointmentsMixin, TimeOffSerializer):
    class Meta(TimeOffSerializer.Meta):
        fields = [*TimeOffSerializer.Meta.fields, "cancelled_appointments"]


class OverridePeriodSerializer(StrictInputMixin, serializers.Serializer):
    start_time = WallClockTimeField()
    end_time = WallClockTimeField()


class ScheduleOverrideSerializer(
    StrictInputMixin, PrivateReasonMixin, ConflictChoiceSerializer, serializers.ModelSerializer
):
    periods = OverridePeriodSerializer(many=True, required=False, help_text="The date's hours, unless closed.")

    class Meta:
        model = ScheduleOverride
        fields = [
            "id",
            "date",
            "closed",
            "periods",
            "reason",
            "created_at",
            "updated_at",
            "on_conflict",
            "patient_message",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []  # one override per doctor and date: the service answers 409

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:  # an override is for its date; another date is another override
            fields["date"].read_only = True
        return fields


class ScheduleOverrideWrittenSerializer(CancelledAppointmentsMixin, ScheduleOverrideSerializer):
    class Meta(ScheduleOverrideSerializer.Meta):
        fields = [*ScheduleOverrideSerializer.Meta.fields, "cancelled_appointments"]


class ClinicClosureSerializer(StrictInputMixin, ConflictChoiceSerializer, serializers.ModelSerializer):
    end_date = serializers.DateField(required=False, help_text="The last closed day, inclusive (default: start_date).")

    class Meta:
        model = ClinicClosure
        fields = ["id", "name", "start_date", "end_date", "created_at", "on_conflict", "patient_message"]
        read_only_fields = ["id", "created_at"]


class ClinicClosureWrittenSerializer(CancelledAppointmentsMixin, ClinicClosureSerializer):
    class Meta(ClinicClosureSerializer.Meta):
        fields = [*ClinicClosureSerializer.Meta.fields, "cancelled_appointments"]


class SlotQuerySerializer(serializers.Serializer):
    visit_type = IdField(
        queryset=VisitType.objects.all(),
        required=False,
        help_text="One of the doctor's visit types (default: their default).",
    )
    date_from = serializers.DateField(required=False, help_text="First day, in the doctor's time zone (default today).")
    date_to = serializers.DateField(
        required=False,
        help_text=f"Last day, inclusive (default date_from + 13 days). Not before date_from, and at most "
        f"{MAX_RANGE_DAYS} days in all: 400 otherwise.",
    )

    def validate(self, attrs):
        validate_day_range(attrs["date_from"], attrs["date_to"], max_days=MAX_RANGE_DAYS)
        return attrs


class SlotListSerializer(serializers.ListSerializer):
    """A month of slots is ~400 of them: written in one loop, the zone looked up once."""

    def to_representation(self, slots):
        zone = self.context["zone"]
        return [
            {
                "start": slot.start.astimezone(zone).isoformat(),
                "end": slot.end.astimezone(zone).isoformat(),
                "visit_type": slot.visit_type.pk,
            }
            for slot in slots
        ]


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="In the doctor's time zone, with its offset.")
    end = serializers.DateTimeField(help_text="When the visit ends (buffers are the doctor's, not yours).")
    visit_type = serializers.IntegerField()

    class Meta:
        list_serializer_class = SlotListSerializer


class SlotsSerializer(serializers.Serializer):
    doctor = serializers.IntegerField()
    time_zone = serializers.CharField()
    slot_minutes = serializers.IntegerField(help_text="The grid: possible starts are this many minutes apart.")
    visit_type = VisitTypeBriefSerializer()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    slots = SlotSerializer(many=True)
