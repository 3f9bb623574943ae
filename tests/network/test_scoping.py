"""restrict(user, action): who reaches which registry rows."""

import pytest

from equitable.network.models import Caseload, Community, Enrollment, Person, School, StaffAssignment

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(str(o) for o in qs)


def test_admin_and_staff_see_every_school(personas):
    for user in (personas.admin, personas.staff_ops, personas.staff_talent):
        assert School.objects.restrict(user, "view").count() == 3


def test_principal_sees_only_own_school(personas):
    assert names(School.objects.restrict(personas.principal_a, "view")) == ["Alpha Elementary"]
    assert names(School.objects.restrict(personas.principal_b, "view")) == ["Bravo Middle"]
    assert list(Enrollment.objects.restrict(personas.principal_a, "view")) == [personas.enrollment_a]


def test_director_sees_caseload_schools_only(personas):
    assert names(School.objects.restrict(personas.director, "view")) == ["Alpha Elementary"]
    assert Enrollment.objects.restrict(personas.director, "change").count() == 0


@pytest.mark.parametrize("who", ["partner", "board"])
def test_partner_and_board_see_no_school_records(personas, who):
    user = getattr(personas, who)
    assert School.objects.restrict(user, "view").count() == 0
    assert Enrollment.objects.restrict(user, "view").count() == 0
    assert StaffAssignment.objects.restrict(user, "view").count() == 0


def test_board_sees_communities_partner_does_not(personas):
    assert Community.objects.restrict(personas.board, "view").count() == 2
    assert Community.objects.restrict(personas.partner, "view").count() == 0


def test_anonymous_sees_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert School.objects.restrict(AnonymousUser(), "view").count() == 0
    assert Person.objects.restrict(None, "view").count() == 0


def test_edit_follows_area_of_practice(personas):
    assert School.objects.restrict(personas.staff_ops, "change").count() == 3
    assert School.objects.restrict(personas.staff_talent, "change").count() == 0
    assert StaffAssignment.objects.restrict(personas.staff_talent, "change").count() == 3
    assert Caseload.objects.restrict(personas.staff_academic, "change").count() == 1
    assert Caseload.objects.restrict(personas.staff_ops, "change").count() == 0


def test_principal_edits_own_school_staff_and_enrollment_only(personas):
    assert list(Enrollment.objects.restrict(personas.principal_a, "change")) == [personas.enrollment_a]
    assert School.objects.restrict(personas.principal_a, "change").count() == 0
    assert set(StaffAssignment.objects.restrict(personas.principal_b, "change").values_list("school_id", flat=True)) == {
        personas.school_b.id}


def test_people_directory_scope(personas):
    seen_by_a = names(Person.objects.restrict(personas.principal_a, "view"))
    assert "Dana Director" in seen_by_a and "Ana Alvarez" in seen_by_a
    assert "Tess Teacher" not in seen_by_a  # school B staff
    assert names(Person.objects.restrict(personas.board, "view")) == []


def test_unknown_action_is_an_error(personas):
    with pytest.raises(ValueError):
        School.objects.restrict(personas.admin, "destroy")
