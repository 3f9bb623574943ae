"""The synthetic district generator (performance data), with small numbers."""

from __future__ import annotations

import pytest
from django.apps import apps

from equitable.demo.scale import NETWORK_NAME, community_count, load_district, synthetic_cds
from equitable.network.models import (
    Caseload,
    Community,
    Enrollment,
    Network,
    Person,
    School,
    SchoolYear,
    StaffAssignment,
)
from equitable.network.validators import validate_school_cds

pytestmark = pytest.mark.django_db


def test_small_district_loads_and_validates(db):
    result = load_district(schools=50, years=3)
    network = Network.objects.get(name=NETWORK_NAME)
    assert result.schools == 50 and result.years == 3 and result.enrollments == 150
    schools = School.objects.filter(network=network)
    assert schools.count() == 50
    assert Community.objects.filter(network=network).count() == community_count(50) == 2
    assert sorted(SchoolYear.objects.values_list("name", flat=True)) == ["2023-24", "2024-25", "2025-26"]
    assert SchoolYear.objects.get(is_current=True).name == "2025-26"
    for model in (Network, Community, School, SchoolYear, Enrollment, Person, StaffAssignment, Caseload):
        for obj in model.objects.all():
            obj.full_clean()
    assert not schools.filter(is_demo=False).exists()
    assert all("(demo)" in name for name in schools.values_list("name", flat=True))
    assert Enrollment.objects.filter(school__network=network).count() == 150
    assert StaffAssignment.objects.filter(role="principal").count() == 50
    assert Caseload.objects.values("director").distinct().count() == 10
    assert School.objects.values("level").distinct().count() >= 3
    # history rows are written with the bulk inserts
    assert School.history.count() == 50 and Enrollment.history.count() == 150


def test_district_is_idempotent_and_grows(db):
    load_district(schools=20, years=2)
    counts = {m._meta.label: m._base_manager.count() for m in apps.get_models()}
    assert not load_district(schools=20, years=2).sync.changed_anything
    assert {m._meta.label: m._base_manager.count() for m in apps.get_models()} == counts
    bigger = load_district(schools=25, years=2)
    assert bigger.sync.created["network.School"] == 5 and not bigger.sync.updated
    assert School.objects.count() == 25


def test_synthetic_cds_codes_are_valid_and_not_lausd():
    for n in (1, 999, 1000, 9_999_999):
        code = synthetic_cds(n)
        validate_school_cds(code)
        assert not code.startswith("1964733")


def test_community_count_scales():
    assert community_count(1000) == 30
    assert community_count(50) == 2
    assert community_count(3) == 1


def test_bad_sizes_are_refused(db):
    with pytest.raises(ValueError):
        load_district(schools=0, years=3)
