"""The HTTP API: REST framework, JWT, list counts and the OpenAPI schema."""

from datetime import timedelta

from config.env import env_int, env_str
from config.settings.base import BASE_DIR, SECRET_KEY
from config.settings.database import DATABASES

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.SessionJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.negotiation.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "config.filters.StrictFilterBackend",
        "config.filters.SearchFilter",
        # Ordering is a StableOrderingFilter inside each FilterSet (aliases, stable pages).
    ],
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    # Counted in a store every worker shares, one atomic increment per request (config/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonRateThrottle",
        "config.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON_RATE", "120/min"),
        "user": env_str("THROTTLE_USER_RATE", "1200/min"),
        # Scoped: the token and sign-up endpoints, where passwords are guessed.
        "auth": env_str("THROTTLE_AUTH_RATE", "20/min"),
        "register": env_str("THROTTLE_REGISTER_RATE", "10/hour"),
        # Asking for a reset e-mail, and following a verification or reset link.
        "password_reset": env_str("THROTTLE_PASSWORD_RESET_RATE", "5/hour"),
        "account_link": env_str("THROTTLE_ACCOUNT_LINK_RATE", "20/hour"),
        # Enrolling, confirming and disabling a second factor.
        "mfa": env_str("THROTTLE_MFA_RATE", "10/min"),
    },
    # How many proxies in front of the app append to X-Forwarded-For. 0: the client is the
    # socket's address and the header is ignored (None would make DRF trust the header).
    "NUM_PROXIES": env_int("DJANGO_NUM_PROXIES", 0, minimum=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7, minimum=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": env_str("JWT_SIGNING_KEY") or SECRET_KEY,
    "ALGORITHM": "HS256",
    # Tokens carry a hash of the password: changing it ends every session issued before, even
    # outside our services (manage.py changepassword). Revocation: accounts.authentication.
    "CHECK_REVOKE_TOKEN": True,
    "AUTH_TOKEN_CLASSES": ["accounts.jwt.AccessToken"],
    "TOKEN_OBTAIN_SERIALIZER": "accounts.auth_serializers.TokenObtainSerializer",
    "TOKEN_REFRESH_SERIALIZER": "accounts.auth_serializers.TokenRefreshSerializer",
    "TOKEN_VERIFY_SERIALIZER": "accounts.auth_serializers.TokenVerifySerializer",
}

# Without Redis or PostgreSQL, the throttle counters live in a SQLite file of their own, shared by
# the workers of the one machine (config/throttling.py); by default beside the database file.
_database = DATABASES["default"]
THROTTLE_SQLITE_PATH = env_str(
    "THROTTLE_SQLITE_PATH",
    f"{_database['NAME']}-throttle.sqlite3"
    if _database["ENGINE"] == "config.sqlite"
    else str(BASE_DIR / "throttle.sqlite3"),
)

# Idempotency-Key (config/idempotency.py): how long a key's answer is replayed, and after how
# long a request that claimed a key and never answered (its process died) lets a retry take over.
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24, minimum=1)
IDEMPOTENCY_LEASE_SECONDS = env_int("IDEMPOTENCY_LEASE_SECONDS", 60, minimum=1)

# Lists count their rows exactly up to this many; past it they say count_capped instead of
# counting a large table on every request (config/pagination.py).
LIST_COUNT_CAP = env_int("LIST_COUNT_CAP", 10_000, minimum=100)

SPECTACULAR_SETTINGS = {
    "TITLE": "Hospital appointments and treatments API",
    "DESCRIPTION": (
        "Patients find doctors and book appointments; doctors run their day and record "
        "treatments and prescriptions; admins manage people and read reports. Authenticate with "
        "`POST /api/token/` and send `Authorization: Bearer <access>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "displayOperationId": False},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AppointmentStatusEnum": "appointments.models.Status",
        "RoleEnum": "accounts.models.Role",
        "StaffRoleEnum": [("admin", "Admin"), ("receptionist", "Receptionist")],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_error_responses",
        "config.schema.tighten_inputs",
    ],
    "SCHEMA_PATH_PREFIX": r"/api/",
    "TAGS": [
        {"name": "auth", "description": "Sign-up, tokens, the caller's own profile."},
        {"name": "users", "description": "User accounts (admins only)."},
        {"name": "doctors", "description": "Specializations, doctors, weekly hours, time off, free slots."},
        {"name": "patients", "description": "Patient records and doctor-patient assignments."},
        {"name": "appointments", "description": "Booking, the visit lifecycle, rescheduling and cancelling."},
        {"name": "clinical records", "description": "Treatments, prescriptions and patient history."},
        {"name": "reports", "description": "Figures for admins, as JSON or CSV."},
        {"name": "audit", "description": "Who read or changed patient data (admins)."},
        {"name": "system", "description": "Health check."},
    ],
}
