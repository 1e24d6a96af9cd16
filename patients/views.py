from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services as account_services
from accounts.auth_serializers import DetailSerializer
from accounts.mixins import AuditReadsMixin
from accounts.models import STAFF_ROLES, User
from accounts.permissions import AdminWritesOthersRead, PersonRecordPermission
from config.idempotency import idempotent
from config.schema import CONFLICT
from config.throttling import AnonRateThrottle, ScopedRateThrottle
from patients import selectors, services
from patients.filters import AssignmentFilter, PatientFilter
from patients.serializers import (
    AssignmentCreateSerializer,
    AssignmentSerializer,
    AssignmentUpdateSerializer,
    PatientAdminSerializer,
    PatientCreateSerializer,
    PatientFrontDeskCreateSerializer,
    PatientSerializer,
    ProfileSerializer,
    RegisterSerializer,
    patient_input_serializer,
)

SIGN_UP_SENT = (
    "Thank you. We have sent a message to the e-mail address you gave: follow it to finish signing up. "
    "The account can log in once the address is confirmed."
)


class RegisterView(APIView):
    """Sign-up lives here, not in accounts: signing up creates a patient's record too."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(
        tags=["auth"],
        summary="Sign up as a patient: always 202; what happened is told by e-mail (a link to confirm the address)",
        description=(
            "The answer is the same whether or not the username or e-mail address is taken. A new account can log "
            "in once its address is confirmed through the e-mailed link (POST auth/verify-email/)."
        ),
        request=RegisterSerializer,
        responses={202: DetailSerializer},
    )
    @idempotent
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account, profile = serializer.split()
        services.patient_sign_up(account=account, **profile)
        return Response({"detail": SIGN_UP_SENT}, status=status.HTTP_202_ACCEPTED)


def _profile_of(user: User) -> User:
    """The caller with their doctor profile (and its specialization) or patient record loaded."""
    return (
        User.objects.select_related("doctor_profile__specialization", "patient_profile")
        .prefetch_related("doctor_profile__working_hours")
        .get(pk=user.pk)
    )


class ProfileView(APIView):
    """Here rather than in accounts because it composes the account with the doctor's or patient's
    record; patients is the first app that may import all three."""

    @extend_schema(tags=["auth"], summary="The caller's own profile", responses=ProfileSerializer)
    def get(self, request):
        user = _profile_of(request.user)
        patient = getattr(user, "patient_profile", None)
        if patient is not None:
            # A patient record (national id, notes) read like any other: audited.
            account_services.audit_reads(
                actor=request.user, object_type="patient", objects=[patient], patient_of=lambda record: record.pk
            )
        return Response(ProfileSerializer(user).data)

    @extend_schema(
        tags=["auth"],
        summary="Update the caller's own profile: account, doctor details and weekly hours, or patient record",
        request=ProfileSerializer,
        responses=ProfileSerializer,
    )
    def patch(self, request):
        user = _profile_of(request.user)
        serializer = ProfileSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.profile_update(
            user=user, doctor=data.pop("doctor_profile", None), patient=data.pop("patient_profile", None), account=data
        )
        return Response(ProfileSerializer(_profile_of(request.user)).data)


@extend_schema(tags=["patients"])
@extend_schema_view(
    list=extend_schema(summary="Patients you may see (search by name, e-mail, phone, national id, insurance number)"),
    retrieve=extend_schema(summary="One patient record"),
    create=extend_schema(
        summary="Register a walk-in patient with an account (front desk)",
        description=(
            "409 `duplicate_national_id` when the national id is already on file; 409 `possible_duplicate` when a "
            "patient with the same name and date of birth is, unless `confirm_duplicate: true`."
        ),
        request=PatientCreateSerializer,
        responses={201: PatientSerializer, 409: CONFLICT},
    ),
    partial_update=extend_schema(
        summary="Update a patient record (the patient: own fields; front desk: demographics, insurance, "
        "national id; admin: also clinical fields)",
        request=PatientAdminSerializer,
        responses=PatientSerializer,
    ),
    destroy=extend_schema(summary="Deactivate a patient (admin; every record is kept)", responses={204: None}),
)
class PatientViewSet(AuditReadsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PatientSerializer
    # The front desk registers walk-ins and keeps demographics; deactivating is for admins.
    creator_roles = editor_roles = STAFF_ROLES
    audit_object_type = "patient"
    permission_classes = [PersonRecordPermission]
    filterset_class = PatientFilter
    search_fields = [
        "user__first_name",
        "user__last_name",
        "user__email",
        "user__phone",
        "=national_id",
        "=insurance_number",
    ]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.patient_list_for_user(user=self.request.user)

    def audit_patient_of(self, patient):
        return patient.pk

    @idempotent
    def create(self, request):
        input_class = PatientCreateSerializer if request.user.is_admin else PatientFrontDeskCreateSerializer
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        account = data.pop("user")
        account.setdefault("password", None)
        patient = services.patient_register_walk_in(account=account, actor=request.user, **data)
        return Response(self.get_serializer(patient).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        patient = self.get_object()
        input_class = patient_input_serializer(request.user)
        serializer = input_class(patient, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        patient = services.patient_update(patient=patient, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(patient).data)

    def destroy(self, request, pk=None):
        services.patient_deactivate(patient=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["patients"])
@extend_schema_view(
    list=extend_schema(summary="Doctor-patient assignments (admin: all; doctor and patient: their own)"),
    retrieve=extend_schema(summary="One assignment"),
    create=extend_schema(
        summary="Assign a doctor to a patient (admin)",
        request=AssignmentCreateSerializer,
        responses={201: AssignmentSerializer},
    ),
    partial_update=extend_schema(
        summary="Change the reason, or end the assignment with is_active=false (admin)",
        request=AssignmentUpdateSerializer,
        responses={200: AssignmentSerializer, 409: CONFLICT},
    ),
    destroy=extend_schema(
        summary="End the assignment (admin; kept for the record)", responses={204: None, 409: CONFLICT}
    ),
)
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AssignmentSerializer
    permission_classes = [AdminWritesOthersRead]
    filterset_class = AssignmentFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.assignment_list_for_user(user=self.request.user)

    @idempotent
    def create(self, request):
        serializer = AssignmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.assignment_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(assignment).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        assignment = self.get_object()
        serializer = AssignmentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignment = services.assignment_update(
            assignment=assignment,
            actor=request.user,
            reason_for_assignment=data.get("reason_for_assignment"),
            end=data.get("is_active") is False,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=assignment.pk)).data)

    def destroy(self, request, pk=None):
        services.assignment_end(assignment=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
