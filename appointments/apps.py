from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = "Appointments"

    def ready(self):
        # Plug into the lower apps' extension points (imports must not flow backwards):
        # active appointments make a doctor busy, and an appointment links a doctor to a patient.
        from appointments import selectors
        from doctors import availability
        from patients.selectors import register_patient_link

        availability.register_busy_source(selectors.busy_rows)
        register_patient_link(selectors.patient_ids_with_appointments)
