"""Forms of the matching pages: choosing the school year (and whether to leave out partners that are not
cleared), and accepting one proposed school–partner pair (the service `suggestion_accept` does the work)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from equitable.network.models import School, SchoolYear
from equitable.partners.models import Partner, SchoolNeed


class YearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MatchYearForm(forms.Form):
    """GET options of the matching pages (the year defaults to the current school year)."""

    year = YearChoiceField(label=_("School year"), queryset=SchoolYear.objects.order_by("-start_date"),
                           to_field_name="name", required=False, empty_label=_("Current year"))

    def year_name(self) -> str | None:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"].name
        return None


class NetworkMatchForm(MatchYearForm):
    exclude_not_cleared = forms.BooleanField(label=_("Leave out partners that are not cleared"), required=False)

    def exclude(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("exclude_not_cleared"))


class AcceptForm(forms.Form):
    """One proposed pair: the school, the partner and the school's needs it would address."""

    school = forms.ModelChoiceField(queryset=School.objects.all(), widget=forms.HiddenInput)
    partner = forms.ModelChoiceField(queryset=Partner.objects.all(), widget=forms.HiddenInput)
    needs = forms.ModelMultipleChoiceField(queryset=SchoolNeed.objects.select_related("assessment__school_year",
                                                                                      "focus_area"),
                                           widget=forms.MultipleHiddenInput)
    year = forms.CharField(required=False, widget=forms.HiddenInput)
