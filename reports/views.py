from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAdmin, SignedIn
from accounts.services import audit_reads
from config.renderers import CSVRenderer, ErrorsAsJsonMixin, flatten
from patients.selectors import patient_list_for_user
from reports import selectors
from reports.serializers import (
    DoctorFiguresSerializer,
    HistoryEntrySerializer,
    PatientReportSerializer,
    ReportQuerySerializer,
    RevenueQuerySerializer,
    RevenueRowSerializer,
    SummarySerializer,
)

CSV = OpenApiResponse(
    OpenApiTypes.STR, description="The same figures as CSV, with a header row (?format=csv or Accept: text/csv)"
)


class NotClinicalHistoryForFrontDesk(SignedIn):
    message = "The front desk does not see clinical records."

    def allows(self, request, view):
        return not request.user.is_receptionist


@extend_schema(
    tags=["clinical records"],
    summary="A patient's history, newest first: appointments, treatments and prescriptions (with items)",
)
class PatientHistoryView(generics.ListAPIView):
    """Visible to the patient, to doctors who may see them and to admins; others get 404, and the
    front desk (who may see the patient, not their clinical history) 403."""

    serializer_class = HistoryEntrySerializer
    permission_classes = [NotClinicalHistoryForFrontDesk]
    filter_backends = []

    def get_queryset(self):
        patient = get_object_or_404(patient_list_for_user(user=self.request.user), pk=self.kwargs["pk"])
        audit_reads(
            actor=self.request.user, object_type="patient_history", objects=[patient], patient_of=lambda p: p.pk
        )
        return selectors.patient_timeline(patient=patient)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            HistoryEntrySerializer(selectors.timeline_rows(entries=page), many=True).data
        )


class ReportView(ErrorsAsJsonMixin, APIView):
    """A report for admins, as JSON or CSV, for a range of clinic days (default: the last 30)
    and optionally one doctor or specialization."""

    permission_classes = [IsAdmin]
    renderer_classes = [JSONRenderer, CSVRenderer]
    query_class = ReportQuerySerializer
    name = ""

    def figures(self, scope, query, **kwargs):
        raise NotImplementedError

    def body(self, figures):
        raise NotImplementedError

    def csv_rows(self, body) -> list[dict]:
        return [flatten(row) for row in (body if isinstance(body, list) else [body])]

    def get(self, request, **kwargs):
        # A plain dict, not the QueryDict: DRF reads an empty form value as absent (`?doctor=`).
        # `format` is the renderer's (json or csv); every other parameter is the report's.
        params = {name: value for name, value in request.query_params.dict().items() if name != "format"}
        query = self.query_class(data=params)
        query.is_valid(raise_exception=True)
        scope = query.scope()
        body = self.body(self.figures(scope, query.validated_data, **kwargs))
        if request.accepted_renderer.format == "csv":
            filename = f"{self.name}-{scope.date_from}-to-{scope.date_to}.csv"
            return Response(self.csv_rows(body), headers={"Content-Disposition": f'attachment; filename="{filename}"'})
        return Response(body)


def report_schema(summary, query, body):
    return extend_schema(
        tags=["reports"],
        summary=summary,
        parameters=[query],
        responses={(200, "application/json"): body, (200, "text/csv"): CSV},
    )


@report_schema(
    "Appointments by status, completion, cancellation and no-show rates, new patients, revenue",
    ReportQuerySerializer,
    SummarySerializer,
)
class SummaryReportView(ReportView):
    name = "summary"

    def figures(self, scope, query):
        return selectors.summary_figures(scope)

    def body(self, figures):
        return SummarySerializer(figures).data


@report_schema(
    "Per doctor: appointments by status, distinct patients, revenue, utilisation",
    ReportQuerySerializer,
    DoctorFiguresSerializer(many=True),
)
class DoctorsReportView(ReportView):
    name = "doctors"

    def figures(self, scope, query):
        return selectors.doctor_figures(scope)

    def body(self, figures):
        return DoctorFiguresSerializer(figures, many=True).data


@report_schema(
    "Revenue per day, week, month, doctor or specialization", RevenueQuerySerializer, RevenueRowSerializer(many=True)
)
class RevenueReportView(ReportView):
    query_class = RevenueQuerySerializer

    @property
    def name(self):
        return f"revenue-by-{self.request.query_params.get('group_by', 'day')}"

    def figures(self, scope, query):
        return selectors.revenue_series(scope, query["group_by"])

    def body(self, figures):
        return RevenueRowSerializer(figures, many=True).data


@report_schema(
    "A patient's appointments in the range, with treatments and totals", ReportQuerySerializer, PatientReportSerializer
)
class PatientReportView(ReportView):
    name = "patient"

    def figures(self, scope, query, pk):
        patient = get_object_or_404(patient_list_for_user(user=self.request.user), pk=pk)
        audit_reads(actor=self.request.user, object_type="patient_report", objects=[patient], patient_of=lambda p: p.pk)
        return selectors.patient_appointments(scope, patient)

    def body(self, figures):
        return PatientReportSerializer(figures).data

    def csv_rows(self, body) -> list[dict]:
        rows = []
        for appointment in body["appointments"]:
            treatments = appointment.pop("treatments")
            row = flatten(appointment)
            row["treatments"] = "; ".join(f"{t['diagnosis']} ({t['cost']})" for t in treatments)
            row["treatment_costs"] = str(sum(float(t["cost"]) for t in treatments))
            rows.append(row)
        return rows or [{"id": ""}]
