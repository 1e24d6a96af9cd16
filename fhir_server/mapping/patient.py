"""Patient: the patient record and its account (name, contact), read through
patients.selectors (a patient their own, a doctor theirs, the front desk and admins all)."""

from django.db.models import Q
from fhir.resources.R4B.patient import Patient as FHIRPatient

from fhir_server.conf import system
from fhir_server.mapping.base import Context, ResourceType, id_param, person_name
from fhir_server.search import SearchParam, date_q, id_q, string_q, token
from patients.models import Sex
from patients.selectors import patient_list_for_user

GENDERS = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other", Sex.UNKNOWN: "unknown"}


def _identifier_q(value: str, modifier: str) -> Q:
    """Our id (system `patient`), the national id or the insurance number; without a system, any."""
    code_system, code = token(value)
    by_system = {
        system("patient"): id_q(code),
        system("national-id"): Q(national_id=code) & ~Q(national_id=""),
        system("insurance-number"): Q(insurance_number=code) & ~Q(insurance_number=""),
    }
    if code_system:
        return by_system.get(code_system, Q(pk__in=[]))
    combined = Q()
    for q in by_system.values():
        combined |= q
    return combined


def _gender_q(value: str, modifier: str) -> Q:
    sexes = [sex for sex, gender in GENDERS.items() if gender == token(value)[1]]
    return ~Q(sex__in=sexes) if modifier == "not" else Q(sex__in=sexes)


def name_of(user) -> dict:
    name = {"use": "official", "text": person_name(user)}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = user.first_name.split()
    return name


def telecom_of(user, use: str) -> list[dict] | None:
    telecom = [{"system": "email", "value": user.email, "use": use}] if user.email else []
    if user.phone:
        telecom.append({"system": "phone", "value": user.phone, "use": "mobile" if use == "home" else use})
    return telecom or None


class PatientType(ResourceType):
    name = "Patient"
    model = FHIRPatient
    audit_object_type = "patient"
    documentation = "Patients you may see: your own record; a doctor's patients; everyone for the front desk."
    params = {
        "_id": id_param(),
        "identifier": SearchParam(
            "identifier",
            "token",
            "Our id, the national id or the insurance number (system|value; the systems are in Patient.identifier).",
            _identifier_q,
        ),
        "name": SearchParam(
            "name",
            "string",
            "Given or family name (starts with; :exact, :contains).",
            string_q(["user__first_name", "user__last_name"]),
        ),
        "family": SearchParam("family", "string", "Family name.", string_q(["user__last_name"])),
        "given": SearchParam("given", "string", "Given name.", string_q(["user__first_name"])),
        "birthdate": SearchParam("birthdate", "date", "Date of birth (eq, ge, gt, le, lt).", date_q("date_of_birth")),
        "gender": SearchParam("gender", "token", "female, male, other or unknown.", _gender_q),
    }

    def queryset(self, ctx: Context):
        return patient_list_for_user(user=ctx.user)

    def patient_of(self, obj):
        return obj.pk

    def build(self, patient, ctx: Context) -> dict:
        user = patient.user
        identifiers = [{"use": "usual", "system": system("patient"), "value": str(patient.pk)}]
        if ctx.user.is_staff:  # the front desk and admins, who record them from documents
            if patient.national_id:
                identifiers.append({"use": "official", "system": system("national-id"), "value": patient.national_id})
            if patient.insurance_number:
                insurance = {
                    "use": "secondary",
                    "system": system("insurance-number"),
                    "value": patient.insurance_number,
                }
                if patient.insurance_provider:
                    insurance["assigner"] = {"display": patient.insurance_provider}
                identifiers.append(insurance)
        return {
            "identifier": identifiers,
            "active": user.is_active,
            "name": [name_of(user)],
            "telecom": telecom_of(user, "home"),
            "gender": GENDERS.get(patient.sex, "unknown"),
            "birthDate": patient.date_of_birth,
            "address": [{"text": patient.address}] if patient.address else None,
        }
