"""What the e-mailed links lead to: verifying a sign-up's address, resetting a password.

Public and throttled. Asking for a reset answers the same whether or not the address has an
account; only the e-mail tells.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.auth_serializers import (
    DetailSerializer,
    LinkSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetRequestSerializer,
)
from config.throttling import AnonRateThrottle, ScopedRateThrottle

RESET_SENT = (
    "If an account has this address, a link to choose a new password is on its way to it. "
    "The link works once, and only for a limited time."
)


class PublicLinkView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "account_link"


class EmailVerifyView(PublicLinkView):
    @extend_schema(
        tags=["auth"],
        summary="Confirm a sign-up's e-mail address with the uid and token of the e-mailed link",
        request=LinkSerializer,
        responses={200: DetailSerializer},
    )
    def post(self, request):
        serializer = LinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_verify(**serializer.validated_data)
        return Response({"detail": "Your e-mail address is confirmed; you can log in now."})


class PasswordResetView(PublicLinkView):
    throttle_scope = "password_reset"

    @extend_schema(
        tags=["auth"],
        summary="Ask for a password reset link by e-mail (always 202, whether or not the address has an account)",
        request=PasswordResetRequestSerializer,
        responses={202: DetailSerializer},
    )
    def post(self, request):
        serializer = PasswordResetRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(email=serializer.validated_data["email"])
        return Response({"detail": RESET_SENT}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(PublicLinkView):
    @extend_schema(
        tags=["auth"],
        summary="Set a new password with the uid and token of a reset link; every session ends",
        request=PasswordResetConfirmSerializer,
        responses={200: DetailSerializer},
    )
    def post(self, request):
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(**serializer.validated_data)
        return Response({"detail": "Your password is changed and every session has ended; log in with it."})
