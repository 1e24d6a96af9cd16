"""User management and the audit trail (admins)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts import selectors, services
from accounts.filters import AuditEventFilter, UserFilter
from accounts.permissions import IsAdmin
from accounts.serializers import AuditEventSerializer, UserCreateSerializer, UserSerializer, UserUpdateSerializer
from config.idempotency import idempotent
from config.schema import CONFLICT


@extend_schema(tags=["users"])
@extend_schema_view(
    list=extend_schema(summary="List accounts (filter by role, is_active; search by name, username, e-mail)"),
    retrieve=extend_schema(summary="One account"),
    create=extend_schema(
        summary="Create an account of any role", request=UserCreateSerializer, responses={201: UserSerializer}
    ),
    partial_update=extend_schema(
        summary="Update an account (409 when it would deactivate yourself or the last active admin)",
        request=UserUpdateSerializer,
        responses={200: UserSerializer, 409: CONFLICT},
    ),
    destroy=extend_schema(
        summary="Deactivate an account (nothing is deleted; 409 for yourself or the last active admin)",
        responses={204: None, 409: CONFLICT},
    ),
)
class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAdmin]
    serializer_class = UserSerializer
    filterset_class = UserFilter
    search_fields = ["username", "email", "first_name", "last_name"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.user_list_for_admin()

    @idempotent
    def create(self, request):
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        user = self.get_object()
        serializer = UserUpdateSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=user, actor=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data)

    def destroy(self, request, pk=None):
        services.user_deactivate(user=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["audit"])
@extend_schema_view(
    list=extend_schema(
        summary="The audit trail of patient data, newest first (filters: actor, patient, action, object_type, dates)"
    ),
    retrieve=extend_schema(summary="One audit event"),
)
class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read-only for admins; nothing can change or remove an event."""

    permission_classes = [IsAdmin]
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    def get_queryset(self):
        return selectors.audit_events_for_admin()
