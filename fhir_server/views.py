"""The FHIR HTTP layer: metadata, read, search, booking (create and $book), cancelling (PUT).
Thin: the mapping modules shape resources, the other apps' selectors and services do the work."""

from functools import wraps

from django.db import transaction
from django.http import QueryDict
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments import services
from appointments.models import AppointmentEvent
from config.idempotency import idempotent
from fhir_server.capability import capability_statement
from fhir_server.errors import FHIRError, fhir_exception_handler
from fhir_server.http import FHIRNegotiation, FHIRParser, FHIRRenderer, PlainJSONParser
from fhir_server.mapping import REGISTRY
from fhir_server.mapping.appointment import (
    AppointmentType,
    appointment_from_book,
    booking_request,
    cancellation_reason,
    check_end,
    parse_appointment,
)
from fhir_server.mapping.base import Context
from fhir_server.search import bundle, number_id, parse_query

APPOINTMENTS: AppointmentType = REGISTRY["Appointment"]


def context(request) -> Context:
    return Context(request=request, user=request.user, base=request.build_absolute_uri("/fhir").rstrip("/"))


def etag(resource: dict) -> str:
    return f'W/"{resource["meta"]["versionId"]}"'


def resource_response(resource: dict, *, code: int = status.HTTP_200_OK, base: str | None = None) -> Response:
    headers = {"ETag": etag(resource)}
    if base is not None:
        version = resource["meta"]["versionId"]
        headers["Location"] = f"{base}/{resource['resourceType']}/{resource['id']}/_history/{version}"
    return Response(resource, status=code, headers=headers)


def fhir_idempotent(view_method):
    """`Idempotency-Key` as in the REST API (config.idempotency), which replays the first answer's
    status and body; the headers a FHIR client reads from a create (ETag, Location) are rebuilt
    from the replayed body, so a retry reads what the first request read."""
    honoured = idempotent(view_method)

    @wraps(honoured)
    def wrapper(view, request, *args, **kwargs):
        response = honoured(view, request, *args, **kwargs)
        body = response.data
        if not response.has_header("Idempotent-Replayed") or response.status_code >= 300 or not isinstance(body, dict):
            return response
        base = context(request).base
        if body.get("resourceType") == "Appointment":
            response["ETag"] = etag(body)
            if response.status_code == status.HTTP_201_CREATED:
                response["Location"] = f"{base}/Appointment/{body['id']}/_history/{body['meta']['versionId']}"
        elif body.get("resourceType") == "Bundle" and body.get("entry"):
            response["Location"] = f"{base}/Appointment/{body['entry'][0]['resource']['id']}"
        return response

    return wrapper


@extend_schema(exclude=True)
class FHIRView(APIView):
    """JWT authentication, throttling and the role scoping of the REST API; FHIR JSON in and out;
    every error an OperationOutcome."""

    renderer_classes = [FHIRRenderer]
    parser_classes = [FHIRParser, PlainJSONParser]
    content_negotiation_class = FHIRNegotiation

    def get_exception_handler(self):
        return fhir_exception_handler

    def resource_type(self, name: str):
        handler = REGISTRY.get(name)
        if handler is None:
            raise FHIRError(
                f"This server does not serve {name!r}; GET /fhir/metadata lists what it does.",
                status_code=status.HTTP_404_NOT_FOUND,
                code="not-supported",
            )
        return handler


def _book(request, resource: dict, ctx: Context):
    """Book through the booking service; an `end` that is not the visit type's books nothing."""
    with transaction.atomic():
        appointment = services.appointment_book(actor=request.user, **booking_request(ctx, resource))
        check_end(resource, appointment)
    return APPOINTMENTS.render(APPOINTMENTS.queryset(ctx).get(pk=appointment.pk), ctx)


class MetadataView(FHIRView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response(capability_statement(context(request).base))


class TypeView(FHIRView):
    def get(self, request, resource_type):
        handler, ctx = self.resource_type(resource_type), context(request)
        query = parse_query(request, handler.params, includes=handler.includes)
        matches, included, has_next, total = handler.search(ctx, query)
        body = bundle(
            request=request,
            base=ctx.base,
            resource_type=handler.name,
            query=query,
            matches=matches,
            included=included,
            has_next=has_next,
            total=total,
        )
        return Response(body)

    @fhir_idempotent
    def post(self, request, resource_type):
        if self.resource_type(resource_type) is not APPOINTMENTS:
            raise MethodNotAllowed("POST", f"{resource_type} cannot be created here; only Appointment can.")
        ctx = context(request)
        resource = parse_appointment(request.data)
        condition = request.headers.get("If-None-Exist")
        if condition:
            query = parse_query(request, APPOINTMENTS.params, source=QueryDict(condition))
            query.count = 2
            matches, _, _, _ = APPOINTMENTS.search(ctx, query)
            if len(matches) > 1:
                raise FHIRError(
                    "If-None-Exist matches more than one Appointment.", status_code=412, code="multiple-matches"
                )
            if matches:
                return resource_response(matches[0])
        return resource_response(_book(request, resource, ctx), code=status.HTTP_201_CREATED, base=ctx.base)


class BookView(FHIRView):
    """Appointment/$book (IHE Scheduling, Argonaut): the same booking, answered as a Bundle."""

    @fhir_idempotent
    def post(self, request):
        ctx = context(request)
        booked = _book(request, appointment_from_book(request.data), ctx)
        body = {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": 1,
            "entry": [
                {"fullUrl": f"{ctx.base}/Appointment/{booked['id']}", "resource": booked, "search": {"mode": "match"}}
            ],
        }
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"Location": f"{ctx.base}/Appointment/{booked['id']}"}
        )


class InstanceView(FHIRView):
    def get(self, request, resource_type, resource_id):
        handler = self.resource_type(resource_type)
        return resource_response(handler.read(context(request), resource_id))

    def put(self, request, resource_type, resource_id):
        """Cancelling: the Appointment as read, with status=cancelled and a cancelationReason."""
        if self.resource_type(resource_type) is not APPOINTMENTS:
            raise MethodNotAllowed("PUT", f"{resource_type} cannot be changed here; only an Appointment cancelled.")
        ctx = context(request)
        number = number_id(resource_id)
        appointment = APPOINTMENTS.queryset(ctx).filter(pk=number).first() if number is not None else None
        if appointment is None:
            raise NotFound(f"Appointment/{resource_id} does not exist, or is not one you may see.")
        current = APPOINTMENTS.render(appointment, ctx)
        expected = request.headers.get("If-Match")
        if expected and expected != etag(current):
            raise FHIRError("The Appointment changed since you read it (If-Match).", status_code=412, code="conflict")
        sent = parse_appointment(request.data)
        if sent.get("id") != resource_id:
            raise FHIRError(f"The body's id must be {resource_id}, as in the URL.")
        reason = cancellation_reason(current, sent)
        if reason is None:
            return resource_response(current)
        services.appointment_transition(
            actor=request.user, appointment=appointment, action=AppointmentEvent.Action.CANCELLED, note=reason
        )
        return resource_response(APPOINTMENTS.render(APPOINTMENTS.queryset(ctx).get(pk=appointment.pk), ctx))


class UnknownView(FHIRView):
    """Any other URL under /fhir/: 404, as an OperationOutcome."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def handle(self, request, *args, **kwargs):
        raise FHIRError(
            f"Nothing at {request.path}; GET /fhir/metadata lists what this server does.",
            status_code=status.HTTP_404_NOT_FOUND,
            code="not-found",
        )

    get = post = put = patch = delete = head = options = handle
