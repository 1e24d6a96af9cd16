"""Visit types (visit-types/) and the set each doctor offers (doctors/{id}/visit-types/)."""

import pytest

from doctors.models import DoctorVisitType, VisitType
from tests.factories import AppointmentFactory, DoctorFactory, SpecializationFactory, UserFactory, VisitTypeFactory

pytestmark = pytest.mark.django_db

PROCEDURE = {"name": "Procedure", "duration_minutes": 60, "buffer_after_minutes": 15, "fee": "200.00"}


def offered(doctor):
    return list(
        doctor.offered_visit_types.order_by("-is_default", "visit_type__name").values_list(
            "visit_type__name", "is_default"
        )
    )


# --- visit-types/ ---------------------------------------------------------------------------------------


def test_an_admin_creates_a_visit_type_and_everyone_reads_it(admin_api, patient_api):
    cardiology = SpecializationFactory(name="Cardiology")

    created = admin_api.post("/api/visit-types/", PROCEDURE | {"specializations": [cardiology.pk]}, format="json")
    listed = patient_api.get("/api/visit-types/").data["results"]

    assert created.status_code == 201, created.data
    assert created.data | {"id": None} == {
        "id": None,
        "name": "Procedure",
        "description": "",
        "duration_minutes": 60,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 15,
        "fee": "200.00",
        "currency": "EUR",
        "bookable_online": True,
        "is_active": True,
        "specializations": [cardiology.pk],
    }
    assert "Procedure" in {row["name"] for row in listed}


@pytest.mark.parametrize("who", ["patient_api", "doctor_api"])
def test_only_admins_write_visit_types(request, who):
    api = request.getfixturevalue(who)
    visit_type = VisitTypeFactory(name="Consultation")

    assert api.post("/api/visit-types/", PROCEDURE, format="json").status_code == 403
    assert api.patch(f"/api/visit-types/{visit_type.pk}/", {"fee": "1.00"}, format="json").status_code == 403
    assert api.delete(f"/api/visit-types/{visit_type.pk}/").status_code == 403
    assert not VisitType.objects.filter(name="Procedure").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"buffer_before_minutes": 121}, "buffer_before_minutes"),
        ({"buffer_after_minutes": -1}, "buffer_after_minutes"),
        ({"fee": "-1.00"}, "fee"),
        ({"name": "procedure"}, "name"),  # taken, whatever the case
    ],
)
def test_visit_type_values_out_of_range_are_400(admin_api, change, field):
    VisitTypeFactory(name="Procedure")

    response = admin_api.post("/api/visit-types/", PROCEDURE | {"name": "Other"} | change, format="json")

    assert response.status_code == 400
    assert field in response.data


def test_a_retired_visit_type_is_listed_to_admins_only(admin_api, patient_api):
    VisitTypeFactory(name="Old", is_active=False)

    assert "Old" not in {row["name"] for row in patient_api.get("/api/visit-types/").data["results"]}
    assert "Old" in {row["name"] for row in admin_api.get("/api/visit-types/").data["results"]}


def test_a_visit_type_in_use_cannot_be_deleted(admin_api, doctor):
    used = doctor.offered_visit_types.get().visit_type
    unused = VisitTypeFactory(name="Unused")

    refused = admin_api.delete(f"/api/visit-types/{used.pk}/")
    deleted = admin_api.delete(f"/api/visit-types/{unused.pk}/")

    assert (refused.status_code, refused.data["code"]) == (409, "in_use")
    assert deleted.status_code == 204
    assert VisitType.objects.filter(pk=used.pk).exists()


def test_a_visit_type_booked_but_no_longer_offered_cannot_be_deleted(admin_api, doctor):
    old = VisitTypeFactory(name="Old")
    AppointmentFactory(doctor=doctor, visit_type=old)

    refused = admin_api.delete(f"/api/visit-types/{old.pk}/")

    assert (refused.status_code, refused.data["code"]) == (409, "in_use")
    assert refused.data["detail"] == (
        "Old is offered by 0 doctor(s) and was booked for 1 appointment(s), so it cannot be deleted; "
        "retire it with is_active=false instead."
    )
    assert admin_api.patch(f"/api/visit-types/{old.pk}/", {"is_active": False}, format="json").status_code == 200


def test_a_doctors_default_visit_type_is_retired_only_after_they_have_another(admin_api, doctor_api, doctor):
    standard = doctor.offered_visit_types.get().visit_type
    follow_up = VisitTypeFactory(name="Follow-up", duration_minutes=15)
    url = f"/api/visit-types/{standard.pk}/"

    refused = admin_api.patch(url, {"is_active": False}, format="json")
    doctor_api.put(
        f"/api/doctors/{doctor.pk}/visit-types/",
        [{"visit_type": follow_up.pk, "is_default": True}, {"visit_type": standard.pk}],
        format="json",
    )
    retired = admin_api.patch(url, {"is_active": False}, format="json")

    assert (refused.status_code, refused.data["code"]) == (409, "in_use")
    assert "default visit type of 1 doctor(s); give them another default first" in refused.data["detail"]
    assert (retired.status_code, retired.data["is_active"]) == (200, False)


def test_a_new_doctor_offers_a_standard_visit_as_long_as_their_slots(admin_api):
    specialization = SpecializationFactory()
    body = {
        "user": {
            "username": "dr.new",
            "email": "new@example.com",
            "password": "a-long-enough-pass",
            "first_name": "N",
            "last_name": "Ew",
        },
        "specialization": specialization.pk,
        "licence_number": "LIC-NEW",
        "consultation_fee": "90.00",
        "slot_minutes": 20,
    }

    response = admin_api.post("/api/doctors/", body, format="json")
    offerings = admin_api.get(f"/api/doctors/{response.data['id']}/visit-types/").data

    assert response.status_code == 201, response.data
    assert offerings == [
        {
            "visit_type": {
                "id": offerings[0]["visit_type"]["id"],
                "name": "Standard visit (20 min)",
                "duration_minutes": 20,
                "buffer_before_minutes": 0,
                "buffer_after_minutes": 0,
            },
            "is_default": True,
        }
    ]


# --- doctors/{id}/visit-types/ --------------------------------------------------------------------------


def test_the_doctor_replaces_the_set_they_offer(doctor_api, doctor, patient_api):
    follow_up = VisitTypeFactory(name="Follow-up", duration_minutes=15)
    procedure = VisitTypeFactory(name="Procedure", duration_minutes=60, buffer_after_minutes=15)
    body = [{"visit_type": follow_up.pk, "is_default": True}, {"visit_type": procedure.pk}]

    response = doctor_api.put(f"/api/doctors/{doctor.pk}/visit-types/", body, format="json")

    assert response.status_code == 200, response.data
    assert [(row["visit_type"]["name"], row["is_default"]) for row in response.data] == [
        ("Follow-up", True),
        ("Procedure", False),
    ]
    assert offered(doctor) == [("Follow-up", True), ("Procedure", False)]
    assert patient_api.get(f"/api/doctors/{doctor.pk}/visit-types/").data == response.data


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "Offer at least one visit type."),
        ([{"visit_type": "a", "is_default": False}, {"visit_type": "b", "is_default": False}], "exactly one"),
        ([{"visit_type": "a", "is_default": True}, {"visit_type": "b", "is_default": True}], "exactly one"),
        ([{"visit_type": "a", "is_default": True}, {"visit_type": "a", "is_default": False}], "listed once"),
        ([{"visit_type": "retired", "is_default": True}], "no longer offered"),
        ([{"visit_type": "cardiology", "is_default": True}], "is not a visit of"),
    ],
)
def test_a_set_that_breaks_a_rule_is_refused_whole(doctor_api, doctor, body, message):
    names = {
        "a": VisitTypeFactory(name="A"),
        "b": VisitTypeFactory(name="B"),
        "retired": VisitTypeFactory(name="Retired", is_active=False),
        "cardiology": VisitTypeFactory(name="Echo"),
    }
    names["cardiology"].specializations.set([SpecializationFactory(name="Cardiology")])
    before = offered(doctor)

    response = doctor_api.put(
        f"/api/doctors/{doctor.pk}/visit-types/",
        [row | {"visit_type": names[row["visit_type"]].pk} for row in body],
        format="json",
    )

    assert response.status_code == 400
    assert message in str(response.data)
    assert offered(doctor) == before


def test_only_that_doctor_or_an_admin_changes_the_set(client_for, admin_api, doctor, patient):
    other = VisitTypeFactory(name="Other")
    body = [{"visit_type": other.pk, "is_default": True}]
    url = f"/api/doctors/{doctor.pk}/visit-types/"

    assert client_for(DoctorFactory().user).put(url, body, format="json").status_code == 403
    assert client_for(patient.user).put(url, body, format="json").status_code == 403
    assert admin_api.put(url, body, format="json").status_code == 200
    assert offered(doctor) == [("Other", True)]


def test_dropping_a_visit_type_keeps_the_visits_booked_with_it(doctor_api, doctor):
    standard = doctor.offered_visit_types.get().visit_type
    visit = AppointmentFactory(doctor=doctor)
    other = VisitTypeFactory(name="Other")

    response = doctor_api.put(
        f"/api/doctors/{doctor.pk}/visit-types/", [{"visit_type": other.pk, "is_default": True}], format="json"
    )

    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.visit_type == standard
    assert not DoctorVisitType.objects.filter(doctor=doctor, visit_type=standard).exists()


def test_retiring_a_default_in_the_admin_is_a_form_error(client, doctor):
    client.force_login(UserFactory(admin=True))
    client.get("/admin/")  # stamps the session's last activity
    standard = doctor.offered_visit_types.get().visit_type
    form = {
        "name": standard.name,
        "description": "",
        "duration_minutes": 30,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "fee": "",
        "bookable_online": "on",
        "is_active": "",
    }

    response = client.post(f"/admin/doctors/visittype/{standard.pk}/change/", form)

    assert response.status_code == 200
    assert "give them another default first" in response.content.decode()
    standard.refresh_from_db()
    assert standard.is_active
