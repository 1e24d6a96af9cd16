from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "fhir_server"
    verbose_name = "FHIR R4 interface"
