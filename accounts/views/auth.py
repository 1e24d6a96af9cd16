"""Logging in, tokens, logging out, changing the password."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views

from accounts import services
from accounts.auth_serializers import (
    DetailSerializer,
    LoginSerializer,
    LogoutSerializer,
    MfaErrorSerializer,
    PasswordChangeSerializer,
    TokenObtainSerializer,
    TokenPairSerializer,
    TokenRefreshSerializer,
    TokenVerifySerializer,
)
from accounts.jwt import SESSION_CLAIM
from config.throttling import AnonRateThrottle, ScopedRateThrottle


class AuthThrottleMixin:
    """Password-guessing endpoints: the anonymous rate plus a tighter per-scope rate."""

    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "auth"


@extend_schema(
    tags=["auth"],
    summary="Log in (username or e-mail + password, and `otp` once a second factor is enrolled): a token pair",
    description=(
        "401 `mfa_required` (send `otp`) or `mfa_invalid`; 403 `mfa_enrolment_required` when the role must use a "
        "second factor and has none (the body carries a 10-minute `enrolment_token` for the enrolment endpoints); "
        "429 while the account or the address is locked out after repeated failed logins (Retry-After says when)."
    ),
    request=LoginSerializer,
    responses={
        200: TokenPairSerializer,
        401: OpenApiResponse(MfaErrorSerializer, description="Wrong credentials, or a missing or wrong code"),
        403: OpenApiResponse(MfaErrorSerializer, description="The role needs a second factor: enrol first"),
        429: OpenApiResponse(DetailSerializer, description="Locked out or throttled; see Retry-After"),
    },
)
class TokenObtainView(AuthThrottleMixin, jwt_views.TokenObtainPairView):
    serializer_class = TokenObtainSerializer


@extend_schema(
    tags=["auth"],
    summary="Exchange a refresh token for a new pair (a refresh token used twice ends its whole session)",
    request=TokenRefreshSerializer,
    responses={200: TokenPairSerializer},
)
class TokenRefreshView(AuthThrottleMixin, jwt_views.TokenRefreshView):
    serializer_class = TokenRefreshSerializer


@extend_schema(
    tags=["auth"],
    summary="Check that a token is valid, not blacklisted and not revoked",
    request=TokenVerifySerializer,
    responses={200: OpenApiResponse(description="Valid")},
)
class TokenVerifyView(AuthThrottleMixin, jwt_views.TokenVerifyView):
    serializer_class = TokenVerifySerializer


class LogoutView(APIView):
    @extend_schema(
        tags=["auth"],
        summary="Log out: this session's access and refresh tokens stop working at once",
        description="`refresh` (optional): a refresh token of yours to blacklist too, and end its session.",
        request=LogoutSerializer,
        responses={204: None, 400: OpenApiResponse(description="Invalid, expired, blacklisted or foreign token")},
    )
    def post(self, request):
        serializer = LogoutSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        if getattr(serializer, "token", None) is not None:
            services.session_logout(refresh=serializer.token)
        services.session_end(sid=request.auth.get(SESSION_CLAIM))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    @extend_schema(
        tags=["auth"],
        summary="Log out everywhere: every token of every session of yours stops working",
        request=None,
        responses={204: None},
    )
    def post(self, request):
        services.tokens_revoke_all(user=request.user)
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
