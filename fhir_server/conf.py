"""Identifier and code systems, from settings (FHIR_SYSTEMS, a dict of name -> URI) with defaults
under PUBLIC_BASE_URL, so two clinics' identifiers never share a system by accident."""

from django.conf import settings

ICD10 = "http://hl7.org/fhir/sid/icd-10"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
UCUM = "http://unitsofmeasure.org"
FHIR_VERSION = "4.0.1"
MAX_COUNT = 100
DEFAULT_COUNT = 20


def system(name: str) -> str:
    """The URI of one of our own systems: patient, national-id, insurance-number, practitioner,
    licence, visit-type, specialization, error-code."""
    configured = getattr(settings, "FHIR_SYSTEMS", {}) or {}
    return configured.get(name) or f"{settings.PUBLIC_BASE_URL}/fhir/sid/{name}"
