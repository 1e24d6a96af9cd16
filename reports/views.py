from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from patients.selectors import patient_list_for_user
from reports import selectors
from reports.serializers import HistoryEntrySerializer


@extend_schema(
    tags=["clinical records"],
    summary="A patient's history, newest first: appointments, treatments and prescriptions (with items)",
)
class PatientHistoryView(generics.ListAPIView):
    """Visible to the patient, to doctors who may see them and to admins; others get 404."""

    serializer_class = HistoryEntrySerializer
    filter_backends = []

    def get_queryset(self):
        patient = get_object_or_404(patient_list_for_user(user=self.request.user), pk=self.kwargs["pk"])
        return selectors.patient_timeline(patient=patient)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            HistoryEntrySerializer(selectors.timeline_rows(entries=page), many=True).data
        )
