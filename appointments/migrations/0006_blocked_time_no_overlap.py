# The columns become required, and the doctor's no-overlap rule moves from the visit to the
# blocked time (the visit and its buffers); the patient's stays on the visit.

import appointments.constraints
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0005_default_visit_types'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='appointment',
            name='appointments_doctor_no_overlap',
        ),
        migrations.RemoveIndex(
            model_name='appointment',
            name='appointments_doctor_active',
        ),
        migrations.AlterField(
            model_name='appointment',
            name='visit_type',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='doctors.visittype'),
        ),
        migrations.AlterField(
            model_name='appointment',
            name='blocked_start',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='appointment',
            name='blocked_end',
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(condition=models.Q(('status__in', ['scheduled', 'confirmed', 'checked_in'])), fields=['doctor', 'blocked_start'], name='appointments_doctor_blocked'),
        ),
        migrations.AddConstraint(
            model_name='appointment',
            constraint=models.CheckConstraint(condition=models.Q(('blocked_end__gte', models.F('end')), ('blocked_start__lte', models.F('start'))), name='appointments_blocked_holds_visit', violation_error_message="The doctor's blocked time holds the whole visit."),
        ),
        migrations.AddConstraint(
            model_name='appointment',
            constraint=appointments.constraints.NoOverlapConstraint(active_values=['scheduled', 'confirmed', 'checked_in'], end='blocked_end', key='doctor', name='appointments_doctor_blocked_no_overlap', start='blocked_start', status_field='status', violation_error_code='doctor_busy', violation_error_message='The doctor already has an appointment at this time; pick another free slot.'),
        ),
    ]
