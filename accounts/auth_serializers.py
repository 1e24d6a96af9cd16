"""Bodies of the login, token, logout, account-link and second-factor endpoints."""

from django.contrib.auth import user_logged_in
from rest_framework import serializers
from rest_framework.exceptions import APIException, AuthenticationFailed
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import UntypedToken

from accounts import lockout, services
from accounts.authentication import token_user
from accounts.jwt import MfaEnrolmentToken, RefreshToken
from accounts.services import mfa
from config.serializers import StrictInputMixin

PASSWORD_MAX_LENGTH = 128

NO_ACCOUNT = (
    "No active account found with the given credentials (a new account can log in once its e-mail address "
    "is confirmed through the link sent at sign-up)."
)
MFA_MESSAGES = {
    mfa.MFA_REQUIRED: "This account has a second factor: send the 6-digit code from your authenticator app "
    "(or a recovery code) in `otp`.",
    mfa.MFA_INVALID: "That code is not right, or was used already; send the code your app shows now in `otp`.",
}
ENROL_MESSAGE = (
    "Your role must log in with a second factor, and none is enrolled yet. Within 10 minutes, send the "
    "enrolment_token below as `Authorization: Bearer <enrolment_token>` to POST /api/auth/mfa/totp/ (scan the QR "
    'code into an authenticator app), then POST /api/auth/mfa/totp/confirm/ with {"code": "<6 digits>"}; then '
    "log in again with the code in `otp`."
)


class MfaEnrolmentRequired(APIException):
    status_code = 403
    default_code = mfa.ENROLMENT_REQUIRED

    def __init__(self, user):
        token = str(MfaEnrolmentToken.for_user(user))
        super().__init__()
        self.detail = {"detail": ENROL_MESSAGE, "code": mfa.ENROLMENT_REQUIRED, "enrolment_token": token}


class TokenObtainSerializer(StrictInputMixin, jwt_serializers.TokenObtainSerializer):
    """`username` takes the username or the e-mail address; `otp` the second factor, once enrolled.

    Refused: 429 while the account or the address is locked out after repeated failures;
    401 `mfa_required` / `mfa_invalid`; 403 `mfa_enrolment_required` with an enrolment token."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.username_field].help_text = "Username or e-mail address."
        self.fields[self.username_field].max_length = 254
        self.fields["password"].max_length = PASSWORD_MAX_LENGTH
        self.fields["otp"] = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=32,
            write_only=True,
            help_text="Once a second factor is enrolled: the 6-digit code from the app, or a recovery code.",
        )

    def validate(self, attrs):
        request = self.context["request"]
        lockout.refuse_if_locked(request, attrs[self.username_field])
        try:
            super().validate(attrs)
        except AuthenticationFailed:
            if lockout.was_locked_out(request):
                raise lockout.LockedOut() from None
            raise AuthenticationFailed(NO_ACCOUNT, "no_active_account") from None
        outcome = services.mfa_login_check(user=self.user, code=attrs.get("otp", ""))
        if outcome == mfa.ENROLMENT_REQUIRED:
            raise MfaEnrolmentRequired(self.user)
        if outcome == mfa.MFA_INVALID:  # counts toward the lockout, as a wrong password does
            lockout.count_failure(request, attrs[self.username_field])
        if outcome is not None:
            raise AuthenticationFailed({"detail": MFA_MESSAGES[outcome], "code": outcome}, outcome)
        # Lets django-axes clear the failures counted against this login, and sets last_login.
        user_logged_in.send(sender=type(self.user), request=request, user=self.user)
        return services.tokens_for_user(user=self.user)


class TokenRefreshSerializer(StrictInputMixin, serializers.Serializer):
    """A new pair for a refresh token of a live session. A refresh token used a second time (it
    was rotated or logged out) ends its whole session: the token issued in its place too."""

    refresh = serializers.CharField(max_length=2048)

    def validate(self, attrs):
        try:
            refresh = RefreshToken(attrs["refresh"])
        except TokenError:
            services.session_end_if_reused(raw_token=attrs["refresh"])
            raise
        tokens = services.session_refresh(refresh=refresh, user=token_user(refresh))
        if tokens is None:
            raise TokenError("Token is blacklisted")
        return tokens


class TokenVerifySerializer(StrictInputMixin, jwt_serializers.TokenVerifySerializer):
    """simplejwt's check, and the token must not be revoked (its session and version)."""

    def validate(self, attrs):
        super().validate(attrs)
        token = UntypedToken(attrs["token"])
        if token.get("token_type") in ("access", "refresh"):
            token_user(token)
        return {}


class TokenPairSerializer(serializers.Serializer):
    refresh = serializers.CharField()
    access = serializers.CharField()


class LoginSerializer(serializers.Serializer):
    """For the schema: what POST /api/token/ takes."""

    username = serializers.CharField(max_length=254, help_text="Username or e-mail address.")
    password = serializers.CharField(max_length=PASSWORD_MAX_LENGTH, write_only=True)
    otp = serializers.CharField(
        required=False, max_length=32, help_text="Once a second factor is enrolled: a 6-digit code or a recovery code."
    )


class MfaErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False, help_text="mfa_required, mfa_invalid, mfa_enrolment_required")
    enrolment_token = serializers.CharField(required=False, help_text="With mfa_enrolment_required: valid 10 minutes.")


class LogoutSerializer(StrictInputMixin, serializers.Serializer):
    refresh = serializers.CharField(max_length=2048, required=False, help_text="A refresh token of yours.")

    def validate_refresh(self, value):
        try:
            token = RefreshToken(value)
        except TokenError as exc:
            raise serializers.ValidationError(str(exc)) from None
        if str(token.get("user_id")) != str(self.context["request"].user.pk):
            raise serializers.ValidationError("This refresh token belongs to another session's user.")
        self.token = token
        return value


class PasswordChangeSerializer(StrictInputMixin, serializers.Serializer):
    old_password = serializers.CharField(write_only=True, max_length=PASSWORD_MAX_LENGTH)
    new_password = serializers.CharField(write_only=True, max_length=PASSWORD_MAX_LENGTH)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class LinkSerializer(StrictInputMixin, serializers.Serializer):
    """The uid and token of an e-mailed link (its query parameters)."""

    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)


class PasswordResetRequestSerializer(StrictInputMixin, serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(LinkSerializer):
    new_password = serializers.CharField(write_only=True, max_length=PASSWORD_MAX_LENGTH)


class MfaCodeSerializer(StrictInputMixin, serializers.Serializer):
    code = serializers.CharField(
        max_length=32, help_text="A 6-digit code from the app (disabling: or a recovery code)."
    )


class MfaEnrolmentSerializer(serializers.Serializer):
    provisioning_uri = serializers.CharField(help_text="otpauth:// URI for an authenticator app.")
    secret = serializers.CharField(help_text="The same key in base32, to type in by hand.")
    qr_svg = serializers.CharField(help_text="The provisioning URI as a QR code (SVG markup).")


class MfaRecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(
        child=serializers.CharField(), help_text="Ten single-use codes for when the phone is lost; shown once."
    )
