"""HTTPS hardening (all on unless DJANGO_DEBUG), CORS, the Content-Security-Policy, and the Silk profiler."""

from config.env import env_bool, env_int, env_list
from config.settings.base import DEBUG

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    # The proxy terminates TLS and says so in X-Forwarded-Proto; never set this without one.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# django-csp. Scripts, styles, images and fonts from this server only: no inline script anywhere
# (Swagger UI loads its start-up script as a file: config/urls.py). Swagger UI, ReDoc and Silk
# also get inline styles (config.middleware.SecurityHeadersMiddleware). ReDoc runs a worker
# from a blob: URL and both docs pages show data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/(api|fhir)/.*$"
# What a browser client may read of an answer beyond the basics: ETag and Location for FHIR's
# conditional updates and creates, Retry-After after a 429 or 503, the id to quote in a report.
CORS_EXPOSE_HEADERS = ["ETag", "Location", "Retry-After", "X-Request-ID"]

# Silk: the profiling dashboard at /silk/, admins only. A development tool: it stores request
# data. So it never records the login, token and account endpoints, nor those of patient data, at
# all (SILKY_INTERCEPT_FUNC), never stores a response body (tokens, patient records), and masks
# these keys in request bodies and headers (a key matches when it contains one of them).
SILKY_AUTHENTICATION = True
SILKY_AUTHORISATION = True
SILKY_PERMISSIONS = lambda user: user.is_active and user.is_admin  # noqa: E731
SILKY_MAX_RECORDED_REQUESTS = 10_000
SILKY_MAX_RECORDED_REQUESTS_CHECK_PERCENT = 10
SILKY_IGNORE_PATHS = ["/api/health/"]
# Logins, tokens, sign-up, verification, reset, MFA and the account pages are never recorded, nor
# a URL carrying a secret (a calendar feed's ?token=): Silk keeps query strings as they came.
# Nor patient data: records, the profile, history, treatments, prescriptions, a patient's report
# and FHIR resources (their SQL would carry national ids and clinical notes as parameters).
_SILK_NEVER_RECORDS = (
    "/api/token/",
    "/api/auth/",
    "/account/",
    "/admin/login/",
    "/api/patients/",
    "/api/profile/",
    "/api/treatments/",
    "/api/prescriptions/",
    "/api/reports/patients/",
    "/fhir/",
)


def _silk_records(request) -> bool:
    return not (request.path.startswith(_SILK_NEVER_RECORDS) or "token" in request.GET)


SILKY_INTERCEPT_FUNC = _silk_records
SILKY_MAX_RESPONSE_BODY_SIZE = 0
SILKY_SENSITIVE_KEYS = {
    "username",
    "api",
    "token",
    "key",
    "secret",
    "password",
    "signature",
    "refresh",
    "access",
    "otp",
    "code",
    "uid",
    "national_id",
    "authorization",
    "cookie",
}
