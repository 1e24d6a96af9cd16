"""The second factor: enrol a TOTP authenticator app, confirm it, disable it.

Enrolling takes the usual access token, or the enrolment token a login answers when the role
must have a second factor and has none yet (accounts.auth_serializers.MfaEnrolmentRequired).
"""

from base64 import b32encode

import segno
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.auth_serializers import MfaCodeSerializer, MfaEnrolmentSerializer, MfaRecoveryCodesSerializer
from accounts.authentication import MfaEnrolmentAuthentication, SessionJWTAuthentication
from config.schema import CONFLICT
from config.throttling import ScopedRateThrottle, UserRateThrottle


class MfaView(APIView):
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "mfa"


class EnrolmentView(MfaView):
    authentication_classes = [MfaEnrolmentAuthentication, SessionJWTAuthentication]


class TotpEnrolView(EnrolmentView):
    @extend_schema(
        tags=["auth"],
        summary="Start enrolling an authenticator app (staff and doctors): its provisioning URI and QR code",
        description="Takes an access token, or the `enrolment_token` of a login refused with mfa_enrolment_required.",
        request=None,
        responses={201: MfaEnrolmentSerializer, 409: CONFLICT},
    )
    def post(self, request):
        device = services.mfa_totp_begin(user=request.user)
        uri = device.config_url
        body = {
            "provisioning_uri": uri,
            "secret": b32encode(device.bin_key).decode(),
            "qr_svg": segno.make(uri, error="m").svg_inline(scale=4, title="Scan with an authenticator app"),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class TotpConfirmView(EnrolmentView):
    @extend_schema(
        tags=["auth"],
        summary="Finish enrolling with a first code from the app: the ten single-use recovery codes, shown once",
        request=MfaCodeSerializer,
        responses={200: MfaRecoveryCodesSerializer, 409: CONFLICT},
    )
    def post(self, request):
        serializer = MfaCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        codes = services.mfa_totp_confirm(user=request.user, code=serializer.validated_data["code"])
        return Response({"recovery_codes": codes})


class MfaDisableView(MfaView):
    @extend_schema(
        tags=["auth"],
        summary="Remove the second factor, proven with a current code or a recovery code",
        request=MfaCodeSerializer,
        responses={204: None, 409: CONFLICT},
    )
    def post(self, request):
        serializer = MfaCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.mfa_disable(user=request.user, code=serializer.validated_data["code"])
        return Response(status=status.HTTP_204_NO_CONTENT)
