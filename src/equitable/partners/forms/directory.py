"""Forms of the directory and school-needs pages. They gather and shape input only: every write goes through
`partners/services/directory.py`, whose DomainError is shown on the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from equitable.network.forms import DATE, ServiceModelForm
from equitable.network.models import Community, School, SchoolYear
from equitable.partners.models import (
    ClearanceTier,
    FocusArea,
    Language,
    NeedsAssessment,
    Partner,
    PartnerPerson,
    SchoolNeed,
)


def _languages_field(label):
    return forms.MultipleChoiceField(label=label, choices=Language.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple)


class PartnerForm(ServiceModelForm):
    languages = _languages_field(_("Languages"))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "kind", "status", "description", "focus_areas", "communities", "languages",
                  "capacity_schools", "capacity_students", "website", "email", "phone", "address", "zip_code"]
        widgets = {"focus_areas": forms.CheckboxSelectMultiple, "communities": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, may_change_status: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].queryset = FocusArea.objects.restrict(user, "view")
        self.fields["communities"].queryset = Community.objects.all().order_by("name")
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_codes
        if not may_change_status:  # a partner user keeps their profile; the status is the network's call
            del self.fields["status"]

    def service_args(self) -> dict:
        data = dict(self.cleaned_data)
        focus_areas = data.pop("focus_areas", None)
        communities = data.pop("communities", None)
        data["languages"] = ",".join(data.get("languages") or [])
        return {"data": data, "focus_areas": focus_areas, "communities": communities}


class PartnerPersonForm(ServiceModelForm):
    class Meta:
        model = PartnerPerson
        fields = ["first_name", "last_name", "title", "email", "phone", "contact_role", "is_primary_contact",
                  "works_on_campus", "tier"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = ClearanceTier.objects.restrict(user, "view")


class FocusAreaForm(ServiceModelForm):
    class Meta:
        model = FocusArea
        fields = ["name", "slug", "description"]


class NeedsAssessmentForm(ServiceModelForm):
    languages = _languages_field(_("Family languages"))

    class Meta:
        model = NeedsAssessment
        fields = ["school", "school_year", "status", "conducted_on", "stakeholders", "languages", "vision"]
        widgets = {"conducted_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["school"]
            del self.fields["school_year"]
            self.initial["languages"] = self.instance.language_codes
        else:
            self.fields["school"].queryset = School.objects.restrict(user, "view").order_by("name")
            self.fields["school_year"].queryset = SchoolYear.objects.order_by("-start_date")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["languages"] = ",".join(data.get("languages") or [])
        return data


class SchoolNeedForm(ServiceModelForm):
    class Meta:
        model = SchoolNeed
        fields = ["focus_area", "priority", "grades", "groups", "students", "evidence"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = FocusArea.objects.restrict(user, "view")
