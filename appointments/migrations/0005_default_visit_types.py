# Every doctor gets a default visit type as long as their slots, with no buffers, and every
# existing appointment becomes a visit of that type blocking exactly its own time: what clients
# booked before visit types existed keeps working unchanged. Reversible.

from django.db import migrations
from django.db.models import F

NAME = "Standard visit ({minutes} min)"


def forward(apps, schema_editor):
    Doctor = apps.get_model("doctors", "Doctor")
    VisitType = apps.get_model("doctors", "VisitType")
    DoctorVisitType = apps.get_model("doctors", "DoctorVisitType")
    Appointment = apps.get_model("appointments", "Appointment")
    for doctor in Doctor.objects.all().only("id", "slot_minutes"):
        visit_type, _ = VisitType.objects.get_or_create(
            name=NAME.format(minutes=doctor.slot_minutes), defaults={"duration_minutes": doctor.slot_minutes}
        )
        if not DoctorVisitType.objects.filter(doctor=doctor, is_default=True).exists():
            DoctorVisitType.objects.get_or_create(doctor=doctor, visit_type=visit_type, defaults={"is_default": True})
        Appointment.objects.filter(doctor=doctor, visit_type__isnull=True).update(
            visit_type=visit_type, blocked_start=F("start"), blocked_end=F("end")
        )


def backward(apps, schema_editor):
    VisitType = apps.get_model("doctors", "VisitType")
    DoctorVisitType = apps.get_model("doctors", "DoctorVisitType")
    Appointment = apps.get_model("appointments", "Appointment")
    Appointment.objects.update(visit_type=None, blocked_start=None, blocked_end=None)
    DoctorVisitType.objects.all().delete()
    VisitType.objects.filter(name__startswith="Standard visit (").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0004_visit_type_and_blocked_time'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
