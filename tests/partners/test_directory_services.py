"""Services of the directory and school needs: permissions and the rules the models cannot express, with
their messages asserted exactly."""

from __future__ import annotations

import pytest

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.partners.models import Partner
from equitable.partners.services import directory as services

pytestmark = pytest.mark.django_db


def test_languages_are_normalized_and_checked():
    assert services.normalize_languages(" ES, en ,es;ko") == "es,en,ko"
    assert services.normalize_languages("") == ""
    assert services.normalize_languages(["asl", "EN"]) == "asl,en"
    with pytest.raises(DomainError) as info:
        services.normalize_languages("en,fr,xx")
    assert info.value.message == ("Unknown language code(s): fr, xx. Use codes such as ar, asl, en, es, hy, ko, tl, "
                                  "vi, zh.")
    assert info.value.field == "languages"


def test_partner_create_checks_permission_and_names(world):
    staff = world.staff_partnerships
    partner = services.partner_create(data={"name": "  Zeta Tutors ", "kind": "tutoring", "languages": "EN"},
                                      focus_areas=[world.tutoring], communities=[world.p.boyle], acting_user=staff)
    assert (partner.name, partner.languages) == ("Zeta Tutors", "en")
    assert list(partner.communities.all()) == [world.p.boyle]
    with pytest.raises(DomainError) as info:
        services.partner_create(data={"name": "zeta tutors", "kind": "arts"}, acting_user=staff)
    assert info.value.message == "A partner named “zeta tutors” is already in the directory."
    with pytest.raises(DomainError) as info:
        services.partner_create(data={"name": "No Kind"}, acting_user=staff)
    assert info.value.field == "kind"
    for who in (world.p.staff_ops, world.p.principal_a, world.p.partner, world.p.board):
        with pytest.raises(NotPermitted):
            services.partner_create(data={"name": "Nope", "kind": "arts"}, acting_user=who)
    assert not Partner.objects.filter(name="Nope").exists()


def test_partner_update_by_partner_user(world):
    xp = services.partner_update(partner=world.xp, data={"phone": "555-0100"}, focus_areas=[world.arts],
                                 acting_user=world.p.partner)
    assert xp.phone == "555-0100" and list(xp.focus_areas.all()) == [world.arts]
    with pytest.raises(NotPermitted) as info:
        services.partner_update(partner=world.xp, data={"status": "inactive"}, acting_user=world.p.partner)
    assert info.value.message == services.STATUS_BY_STAFF == "Only partnerships staff change a partner's status."
    # the same status is not a change
    services.partner_update(partner=world.xp, data={"status": "active"}, acting_user=world.p.partner)
    with pytest.raises(NotPermitted):
        services.partner_update(partner=world.yc, data={"phone": "1"}, acting_user=world.p.partner)
    with pytest.raises(NotPermitted):
        services.partner_update(partner=world.xp, data={"phone": "1"}, acting_user=world.p.principal_a)
    with pytest.raises(DomainError) as info:
        services.partner_update(partner=world.xp, data={"name": "Yellow cab counseling"},
                                acting_user=world.staff_partnerships)
    assert info.value.message == "A partner named “Yellow cab counseling” is already in the directory."
    world.xp.refresh_from_db()
    assert world.xp.status == "active" and world.xp.name == "Xochi Arts Project"


def test_person_rules(world):
    staff = world.staff_partnerships
    with pytest.raises(DomainError) as info:
        services.person_create(partner=world.xp, data={"first_name": "A", "last_name": "B",
                                                       "is_primary_contact": True}, acting_user=staff)
    assert (info.value.message, info.value.field) == ("A primary contact must have a contact role.", "contact_role")
    with pytest.raises(DomainError) as info:
        services.person_create(partner=world.xp, data={"first_name": "A", "last_name": "B", "tier": world.tier1},
                               acting_user=staff)
    assert info.value.message == services.TIER_NEEDS_CAMPUS
    with pytest.raises(DomainError) as info:
        services.person_create(partner=world.xp, data={"first_name": "paz", "last_name": "PORTAL",
                                                       "email": "PAZ@xochi.example.org"}, acting_user=staff)
    assert info.value.message == "paz PORTAL is already one of Xochi Arts Project's people with this email."
    with pytest.raises(DomainError) as info:
        services.person_update(person=world.xp_artist, data={"partner": world.yc}, acting_user=staff)
    assert info.value.message == services.PERSON_STAYS
    new = services.person_create(partner=world.xp, data={"first_name": "Rae", "last_name": "Runner",
                                                         "contact_role": "executive", "is_primary_contact": True},
                                 acting_user=world.p.partner)
    world.xp_contact.refresh_from_db()
    assert new.is_primary_contact and not world.xp_contact.is_primary_contact
    with pytest.raises(NotPermitted):
        services.person_create(partner=world.yc, data={"first_name": "X", "last_name": "Y"},
                               acting_user=world.p.partner)
    with pytest.raises(NotPermitted):
        services.person_update(person=world.yc_counselor, data={"title": "x"}, acting_user=world.p.partner)
    with pytest.raises(NotPermitted):
        services.person_create(partner=world.xp, data={"first_name": "X", "last_name": "Y"},
                               acting_user=world.p.principal_a)


def test_focus_area_rules(world):
    with pytest.raises(DomainError) as info:
        services.focus_area_create(data={"slug": "arts-2", "name": " arts "}, acting_user=world.staff_partnerships)
    assert info.value.message == "A focus area named “arts” already exists."
    with pytest.raises(DomainError) as info:
        services.focus_area_create(data={"slug": "arts", "name": "Art again"}, acting_user=world.staff_partnerships)
    assert info.value.field == "slug"
    with pytest.raises(NotPermitted):
        services.focus_area_create(data={"slug": "food", "name": "Food"}, acting_user=world.p.principal_a)
    with pytest.raises(DomainError):  # needs and partners refer to it
        services.focus_area_delete(focus_area=world.arts, acting_user=world.staff_partnerships)


def test_assessment_and_need_rules(world):
    principal = world.p.principal_a
    with pytest.raises(DomainError) as info:
        services.needs_assessment_create(data={"school": world.p.school_a, "school_year": world.p.year},
                                         acting_user=principal)
    assert info.value.message == "Alpha Elementary already has a needs assessment for 2025-26."
    with pytest.raises(NotPermitted):
        services.needs_assessment_create(data={"school": world.p.school_b, "school_year": world.last_year},
                                         acting_user=principal)
    with pytest.raises(NotPermitted):
        services.needs_assessment_create(data={"school": world.p.school_a, "school_year": world.last_year},
                                         acting_user=world.p.director)
    with pytest.raises(DomainError) as info:
        services.needs_assessment_create(data={"school": world.p.school_a, "school_year": world.last_year,
                                               "languages": "en,zz"}, acting_user=principal)
    assert info.value.field == "languages"
    with pytest.raises(DomainError) as info:
        services.needs_assessment_update(assessment=world.assessment_a, data={"school": world.p.school_b},
                                         acting_user=world.staff_partnerships)
    assert info.value.message == services.ASSESSMENT_STAYS
    with pytest.raises(DomainError) as info:
        services.school_need_create(assessment=world.assessment_a, data={"focus_area": world.arts, "priority": 2},
                                    acting_user=principal)
    assert info.value.message == "This assessment already has a need for Arts."
    with pytest.raises(DomainError) as info:
        services.school_need_update(need=world.need_a_mental, data={"focus_area": world.arts}, acting_user=principal)
    assert info.value.message == "This assessment already has a need for Arts."
    with pytest.raises(DomainError):
        services.school_need_create(assessment=world.assessment_a, data={"focus_area": world.tutoring,
                                                                         "priority": 7}, acting_user=principal)
    with pytest.raises(NotPermitted):
        services.school_need_update(need=world.need_b_mental, data={"priority": 3}, acting_user=principal)
    with pytest.raises(DomainError) as info:
        services.school_need_update(need=world.need_a_arts, data={"assessment": world.assessment_b},
                                    acting_user=world.staff_partnerships)
    assert info.value.message == services.NEED_STAYS
    need = services.school_need_update(need=world.need_a_mental, data={"priority": 1}, acting_user=principal)
    assert need.priority == 1 and need.history.first().history_user == principal
