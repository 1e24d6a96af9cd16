from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.mixins import AuditReadsMixin
from accounts.permissions import NotFrontDesk
from appointments.selectors import appointment_list_for_user
from config.idempotency import idempotent
from config.schema import CONFLICT
from treatments import selectors, services
from treatments.filters import TreatmentFilter
from treatments.serializers import (
    TreatmentCreateSerializer,
    TreatmentRevisionSerializer,
    TreatmentSerializer,
    TreatmentUpdateSerializer,
)


@extend_schema(tags=["clinical records"])
@extend_schema_view(
    list=extend_schema(
        summary="Treatments you may see (filters: patient, doctor, appointment, status, date_from, date_to; search)"
    ),
    retrieve=extend_schema(summary="One treatment"),
    create=extend_schema(
        summary="Record a treatment for your checked-in or completed visit (doctor, admin)",
        request=TreatmentCreateSerializer,
        responses={201: TreatmentSerializer},
    ),
    partial_update=extend_schema(
        summary="Correct a treatment (the previous values become a revision) or mark it entered in error",
        request=TreatmentUpdateSerializer,
        responses={200: TreatmentSerializer, 409: CONFLICT},
    ),
)
class TreatmentViewSet(AuditReadsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reads are scoped by the selector; who may record or change a treatment is the service's rule."""

    serializer_class = TreatmentSerializer
    audit_object_type = "treatment"
    permission_classes = [NotFrontDesk]
    filterset_class = TreatmentFilter
    search_fields = ["diagnosis", "icd10_code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.treatment_list_for_user(user=self.request.user)

    def audit_patient_of(self, treatment):
        return treatment.appointment.patient_id

    @idempotent
    def create(self, request):
        serializer = TreatmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        # Looked up among the visits this user may see: someone else's visit is a 404.
        appointment = get_object_or_404(appointment_list_for_user(user=request.user), pk=data.pop("appointment"))
        treatment = services.treatment_create(actor=request.user, appointment=appointment, **data)
        return Response(TreatmentSerializer(treatment).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        treatment = self.get_object()
        serializer = TreatmentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        treatment = services.treatment_update(actor=request.user, treatment=treatment, **serializer.validated_data)
        return Response(TreatmentSerializer(self.get_queryset().get(pk=treatment.pk)).data)

    @extend_schema(
        summary="Every change to this treatment: who, when and the values before it, newest first (unpaginated)",
        responses=TreatmentRevisionSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filterset_class=None, search_fields=None, pagination_class=None)
    def revisions(self, request, pk=None):
        revisions = selectors.revisions_of(treatment=self.get_object())
        return Response(TreatmentRevisionSerializer(revisions, many=True).data)
