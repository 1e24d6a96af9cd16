from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.mixins import AuditReadsMixin
from accounts.permissions import NotFrontDesk
from appointments.selectors import appointment_list_for_user
from config.idempotency import idempotent
from config.renderers import ErrorsAsJsonMixin, PDFRenderer
from config.schema import CONFLICT
from prescriptions import selectors, services
from prescriptions.filters import PrescriptionFilter
from prescriptions.pdf import render_prescription_pdf
from prescriptions.serializers import (
    PrescriptionCancelSerializer,
    PrescriptionCreateSerializer,
    PrescriptionSerializer,
)

ISSUE = extend_schema(
    summary="Issue a prescription with its items for your completed visit (doctor)",
    request=PrescriptionCreateSerializer,
    responses={201: PrescriptionSerializer},
)
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="The printable prescription (PDF)")


@extend_schema(tags=["clinical records"])
@extend_schema_view(
    list=extend_schema(
        summary="Prescriptions you may see (filters: appointment, patient, doctor, status, date_from, date_to)"
    ),
    retrieve=extend_schema(
        summary="One prescription; with Accept: application/pdf, the printable PDF",
        responses={(200, "application/json"): PrescriptionSerializer, (200, "application/pdf"): PDF},
    ),
    create=ISSUE,
)
class PrescriptionViewSet(
    AuditReadsMixin, ErrorsAsJsonMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Issued prescriptions are immutable: there is no PATCH or DELETE; correct one by cancelling
    it and issuing another."""

    serializer_class = PrescriptionSerializer
    audit_object_type = "prescription"
    permission_classes = [NotFrontDesk]
    filterset_class = PrescriptionFilter
    search_fields = ["items__medication_name"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.prescription_list_for_user(user=self.request.user)

    def get_renderers(self):
        if self.action == "retrieve":
            return [JSONRenderer(), PDFRenderer()]
        if self.action == "pdf":
            return [PDFRenderer()]
        return super().get_renderers()

    def _pdf_response(self, prescription):
        return Response(
            render_prescription_pdf(prescription),
            content_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="prescription-{prescription.pk}.pdf"'},
        )

    def retrieve(self, request, pk=None):
        prescription = self.get_object()
        if request.accepted_renderer.format == "pdf":
            return self._pdf_response(prescription)
        return Response(PrescriptionSerializer(prescription).data)

    @idempotent
    def create(self, request):
        serializer = PrescriptionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Looked up among the visits this user may see: someone else's visit is a 404.
        appointment = get_object_or_404(appointment_list_for_user(user=request.user), pk=data["appointment"])
        prescription = services.prescription_issue(
            actor=request.user, appointment=appointment, items=data["items"], notes=data["notes"]
        )
        return Response(
            PrescriptionSerializer(self.get_queryset().get(pk=prescription.pk)).data, status=status.HTTP_201_CREATED
        )

    @ISSUE
    @action(detail=False, methods=["post"], url_path="create")
    @idempotent
    def create_alias(self, request):
        """The same as POST /api/prescriptions/."""
        return self.create(request)

    @extend_schema(
        summary="Cancel an active prescription with a reason (prescriber, admin); it is kept",
        request=PrescriptionCancelSerializer,
        responses={200: PrescriptionSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        prescription = self.get_object()
        serializer = PrescriptionCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.prescription_cancel(actor=request.user, prescription=prescription, **serializer.validated_data)
        return Response(PrescriptionSerializer(self.get_queryset().get(pk=prescription.pk)).data)

    @extend_schema(summary="The printable prescription as a PDF", responses={(200, "application/pdf"): PDF})
    @action(detail=True, methods=["get"], filterset_class=None, search_fields=None)
    def pdf(self, request, pk=None):
        return self._pdf_response(self.get_object())
