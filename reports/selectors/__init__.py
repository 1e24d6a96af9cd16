"""Read-side views across the apps. `reports` may read every other app; nothing imports it.

history: a patient's timeline of visits, treatments and prescriptions.
figures: the admins' reports, every figure aggregated in SQL.
"""

from reports.selectors.figures import (
    ReportScope,
    doctor_figures,
    patient_appointments,
    revenue_series,
    summary_figures,
)
from reports.selectors.history import patient_timeline, timeline_rows

__all__ = [
    "ReportScope",
    "doctor_figures",
    "patient_appointments",
    "patient_timeline",
    "revenue_series",
    "summary_figures",
    "timeline_rows",
]
