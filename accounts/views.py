from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views

from accounts import selectors, services
from accounts.filters import AuditEventFilter, UserFilter
from accounts.permissions import IsAdmin
from accounts.serializers import (
    AuditEventSerializer,
    LogoutSerializer,
    PasswordChangeSerializer,
    TokenPairSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from config.idempotency import idempotent
from config.throttling import AnonRateThrottle, ScopedRateThrottle


class AuthThrottleMixin:
    """Password-guessing endpoints: the anonymous rate plus a tighter per-scope rate."""

    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "auth"


@extend_schema(tags=["auth"], summary="Obtain an access and a refresh token (username or e-mail + password)")
class TokenObtainView(AuthThrottleMixin, jwt_views.TokenObtainPairView):
    pass


@extend_schema(tags=["auth"], summary="Exchange a refresh token for a new pair (the old refresh is blacklisted)")
class TokenRefreshView(AuthThrottleMixin, jwt_views.TokenRefreshView):
    pass


@extend_schema(tags=["auth"], summary="Check that a token is valid and not blacklisted")
class TokenVerifyView(AuthThrottleMixin, jwt_views.TokenVerifyView):
    pass


class LogoutView(APIView):
    @extend_schema(
        tags=["auth"],
        summary="Log out: blacklist the given refresh token",
        request=LogoutSerializer,
        responses={204: None, 400: OpenApiResponse(description="Invalid, expired, blacklisted or foreign token")},
    )
    def post(self, request):
        serializer = LogoutSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        serializer.token.blacklist()
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    @extend_schema(
        tags=["auth"],
        summary="Change the caller's password; every other session ends and a new token pair is returned",
        request=PasswordChangeSerializer,
        responses={200: TokenPairSerializer},
    )
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tokens = services.user_change_password(user=request.user, **serializer.validated_data)
        return Response(tokens)


@extend_schema(tags=["users"])
@extend_schema_view(
    list=extend_schema(summary="List accounts (filter by role, is_active; search by name, username, e-mail)"),
    retrieve=extend_schema(summary="One account"),
    create=extend_schema(
        summary="Create an account of any role", request=UserCreateSerializer, responses={201: UserSerializer}
    ),
    partial_update=extend_schema(summary="Update an account", request=UserUpdateSerializer, responses=UserSerializer),
    destroy=extend_schema(summary="Deactivate an account (nothing is deleted)", responses={204: None}),
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
        user = services.user_update(user=user, **serializer.validated_data)
        return Response(UserSerializer(user).data)

    def destroy(self, request, pk=None):
        services.user_deactivate(user=self.get_object())
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
