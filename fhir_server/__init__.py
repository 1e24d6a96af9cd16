"""The FHIR R4 interface under /fhir/: the schedule, the visits and the clinical records as standard
resources, read through the other apps' selectors and booked through their services. It stands at
the end of the app chain, like `reports`: it imports the other apps, and nothing imports it.

(Named `fhir_server`, not `fhir`, because the `fhir.resources` library owns the top-level `fhir`
package.)"""
