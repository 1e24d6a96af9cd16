"""Read-side views across the apps. `reports` may read every other app; nothing imports it.

history: a patient's timeline of visits, treatments and prescriptions.
scope: what a report covers. figures: the summary and doctors reports. revenue: revenue series
and breakdowns. patient: one patient's report. Every figure is aggregated in SQL.
"""

from reports.selectors.figures import doctor_figures, summary_figures
from reports.selectors.history import patient_timeline, timeline_rows
from reports.selectors.patient import patient_appointments
from reports.selectors.revenue import revenue_series
from reports.selectors.scope import ReportScope

__all__ = [
    "ReportScope",
    "doctor_figures",
    "patient_appointments",
    "patient_timeline",
    "revenue_series",
    "summary_figures",
    "timeline_rows",
]
