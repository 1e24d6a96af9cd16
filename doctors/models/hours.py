"""When a doctor works: weekly hours, time off, one-date overrides, and the clinic's closures.

Wall-clock times are in the doctor's time zone; doctors.schedule lays them onto real dates."""

from django.conf import settings
from django.db import models

from doctors.models.doctors import Doctor


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingHours(models.Model):
    """One period of a weekly schedule, in wall-clock time in the doctor's time zone."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["doctor_id", "weekday", "start_time"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="doctors_workinghours_end_after_start",
                violation_error_message="A working period must end after it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6),
                name="doctors_workinghours_weekday_range",
                violation_error_message="Weekday is 0 (Monday) to 6 (Sunday).",
            ),
            models.UniqueConstraint(
                fields=["doctor", "weekday", "start_time"],
                name="doctors_workinghours_unique_start",
                violation_error_message="Two working periods of one day cannot start at the same time.",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class TimeOff(models.Model):
    """A period the doctor is not available: leave, a conference, a blocked afternoon."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "id"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="doctors_timeoff_end_after_start",
                violation_error_message="Time off must end after it starts.",
            )
        ]
        indexes = [models.Index(fields=["doctor", "start", "end"], name="doctors_timeoff_doctor_span")]

    def __str__(self):
        return f"{self.doctor}: {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}"


class ScheduleOverride(models.Model):
    """One date in the doctor's zone that does not follow the weekly hours: closed, or its own
    periods instead (an extra Saturday clinic, a short day)."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="schedule_overrides")
    date = models.DateField()
    closed = models.BooleanField(default=False)
    reason = models.CharField(max_length=200, blank=True, help_text="Shown to the doctor and admins only.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "date"],
                name="doctors_override_one_per_date",
                violation_error_message="This doctor already has a schedule override for that date; change that one.",
                violation_error_code="override_exists",
            )
        ]

    def __str__(self):
        return f"{self.doctor} on {self.date}: {'closed' if self.closed else 'own hours'}"


class ScheduleOverridePeriod(models.Model):
    """A working period of an override's date, wall-clock in the doctor's zone."""

    override = models.ForeignKey(ScheduleOverride, on_delete=models.CASCADE, related_name="periods")
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["override_id", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="doctors_overrideperiod_end_after_start",
                violation_error_message="A working period must end after it starts.",
            )
        ]

    def __str__(self):
        return f"{self.start_time:%H:%M}-{self.end_time:%H:%M}"


class ClinicClosure(models.Model):
    """Days the whole clinic is closed (a public holiday): every doctor's day off, inclusive."""

    name = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="doctors_closure_end_not_before_start",
                violation_error_message="A closure ends on or after the day it starts.",
            )
        ]
        indexes = [models.Index(fields=["start_date", "end_date"], name="doctors_closure_span")]

    def __str__(self):
        if self.start_date == self.end_date:
            return f"{self.name} ({self.start_date})"
        return f"{self.name} ({self.start_date} to {self.end_date})"
