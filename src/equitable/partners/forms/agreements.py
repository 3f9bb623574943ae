"""Forms of the agreement, convening, survey, measure and partner-portal pages. They shape input only;
`partners.services.agreements` checks permissions and the rules, and its DomainError is shown on the form."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from equitable.core.imports import import_kind
from equitable.network.models import Community, School, SchoolYear
from equitable.partners.models import (
    Agreement,
    Convening,
    FocusArea,
    Measure,
    Partner,
    PartnerSurvey,
    SchoolNeed,
)
from equitable.partners.services.agreements import AGREEMENT_FIELDS, MEASURE_FIELDS, SURVEY_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PORTAL_IMPORT_KINDS = ("partner-people", "clearance-checks", "measures")


class NeedSelect(forms.SelectMultiple):
    """Each need's option carries its school (`data-school`), so the page shows only the chosen school's needs."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        need = getattr(value, "instance", None)
        if need is not None:
            option["attrs"]["data-school"] = str(need.assessment.school_id)
        return option


class NeedChoiceField(forms.ModelMultipleChoiceField):
    widget = NeedSelect

    def label_from_instance(self, need):
        return (f"{need.assessment.school.name} {need.assessment.school_year.name}: {need.focus_area.name} "
                f"({need.get_priority_display()})")


class AgreementForm(forms.ModelForm):
    """The terms of an agreement. On a new agreement the partner and school are chosen; after that they
    are fixed (a different pair is a different agreement)."""

    focus_areas = forms.ModelMultipleChoiceField(label=_("Focus areas"), queryset=FocusArea.objects.all(),
                                                 required=False, widget=forms.CheckboxSelectMultiple)
    needs = NeedChoiceField(label=_("Needs addressed"), queryset=SchoolNeed.objects.none(), required=False,
                            help_text=_("Needs of this school's assessment that the agreement answers."))

    class Meta:
        model = Agreement
        fields = ("partner", "school", *AGREEMENT_FIELDS)
        widgets = {"start_date": DATE, "end_date": DATE, "programs": forms.Textarea(attrs={"rows": 3}),
                   "staffing": forms.Textarea(attrs={"rows": 2}), "safety": forms.Textarea(attrs={"rows": 2}),
                   "facilities": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, schools, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            del self.fields["partner"]
            del self.fields["school"]
            school_ids = [self.instance.school_id]
            self.initial.setdefault("focus_areas", list(self.instance.focus_areas.all()))
            self.initial.setdefault("needs", list(self.instance.needs.all()))
        else:
            self.fields["partner"].queryset = Partner.objects.restrict(user, "view").order_by("name")
            self.fields["school"].queryset = schools
            school_ids = list(schools.values_list("pk", flat=True))
        self.fields["needs"].queryset = (SchoolNeed.objects.restrict(user, "view")
                                         .filter(assessment__school_id__in=school_ids)
                                         .select_related("assessment__school", "assessment__school_year",
                                                         "focus_area")
                                         .order_by("assessment__school__name", "-assessment__school_year__start_date",
                                                   "priority"))
        # The rules (dates, year-round span, needs of the school) live in the service.
        self.fields["end_date"].validators = []

    def _post_clean(self):  # model validation runs once, in the service
        pass

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in AGREEMENT_FIELDS if name in self.cleaned_data}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("decline", _("Decline"))],
                                 widget=forms.RadioSelect)
    decision_note = forms.CharField(label=_("Note"), max_length=300, required=False,
                                    help_text=_("Required when declining: say why."),
                                    widget=forms.Textarea(attrs={"rows": 2}))


class EndForm(forms.Form):
    end_date = forms.DateField(label=_("Ended on"), required=False, widget=DATE,
                               help_text=_("Blank: today (or the planned end, if earlier)."))


class ConveningForm(forms.ModelForm):
    class Meta:
        model = Convening
        fields = ("kind", "title", "school_year", "school", "community", "held_on", "location", "notes")
        widgets = {"held_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = SchoolYear.objects.order_by("-start_date")
        self.fields["school"].queryset = School.objects.filter(membership="member").order_by("name")
        self.fields["school"].help_text = _("Blank for a network-wide convening.")
        self.fields["community"].queryset = Community.objects.order_by("name")

    def _post_clean(self):
        pass

    def values(self) -> dict:
        return dict(self.cleaned_data)


class AttendanceForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    attended = forms.BooleanField(label=_("Attended"), required=False)
    people = forms.IntegerField(label=_("People who came"), min_value=0, max_value=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.restrict(user, "view").order_by("name")


RATING_CHOICES = [("", "—")] + [(str(i), str(i)) for i in range(1, 6)]


class SurveyForm(forms.ModelForm):
    class Meta:
        model = PartnerSurvey
        fields = SURVEY_FIELDS
        widgets = {"comments": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("overall", "communication", "school_fit", "clearance_support", "principal_relationship"):
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label, choices=RATING_CHOICES, coerce=int, empty_value=None, required=False,
                help_text=_("1 = poor … 5 = excellent."))

    def _post_clean(self):
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in SURVEY_FIELDS}


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = MEASURE_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, partner_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = SchoolYear.objects.order_by("-start_date")
        if partner_only:
            for name in list(self.fields):
                if name not in ("actual", "notes"):
                    del self.fields[name]

    def _post_clean(self):
        pass

    def values(self) -> dict:
        return dict(self.cleaned_data)


class PortalUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to upload"))
    file = forms.FileField(label=_("File"), help_text=_("CSV or XLSX; the first row names the columns."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for slug in PORTAL_IMPORT_KINDS:
            kind = import_kind(slug)
            if kind is not None:
                choices.append((slug, kind.label))
        self.fields["kind"].choices = choices

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() not in (".csv", ".txt", ".tsv", ".xlsx"):
            raise forms.ValidationError(_("Upload a .csv, .txt, .tsv or .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ConfirmUploadForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
