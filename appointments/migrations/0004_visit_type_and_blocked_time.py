# Visit types and the doctor's blocked time: the columns, empty at first (0005 fills them,
# 0006 makes them required and moves the doctor's no-overlap rule onto the blocked time).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0003_doctor_active_index'),
        ('doctors', '0003_schedule_overrides_closures_visit_types'),
    ]

    operations = [
        migrations.AddField(
            model_name='appointment',
            name='visit_type',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='doctors.visittype'),
        ),
        migrations.AddField(
            model_name='appointment',
            name='blocked_start',
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name='appointment',
            name='blocked_end',
            field=models.DateTimeField(null=True),
        ),
    ]
