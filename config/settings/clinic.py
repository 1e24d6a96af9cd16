"""The clinic: its name and address, and the booking rules (docs/ARCHITECTURE.md, "Booking rules")."""

from config.env import env_int, env_str

CLINIC_NAME = env_str("CLINIC_NAME", "Demo Clinic")
CLINIC_ADDRESS = env_str("CLINIC_ADDRESS", "1 Example Street, Springfield")
CLINIC_CURRENCY = env_str("CLINIC_CURRENCY", "EUR")
# Where people reach this server: the start of every link in an e-mail.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

BOOKING_MIN_NOTICE_MINUTES = env_int("BOOKING_MIN_NOTICE_MINUTES", 60, minimum=0)
BOOKING_HORIZON_DAYS = env_int("BOOKING_HORIZON_DAYS", 90, minimum=1)
CANCELLATION_CUTOFF_HOURS = env_int("CANCELLATION_CUTOFF_HOURS", 2, minimum=0)
# Upcoming appointments a patient may hold at once when booking for themselves (staff are not
# limited): one person cannot empty a doctor's calendar.
BOOKING_MAX_UPCOMING_PER_PATIENT = env_int("BOOKING_MAX_UPCOMING_PER_PATIENT", 10, minimum=1)

REMINDER_HOURS_BEFORE = env_int("REMINDER_HOURS_BEFORE", 24, minimum=1)
