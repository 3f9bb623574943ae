"""Forms of the registry's pages. They gather and shape input only: every write goes through a service in
`network/services.py`, which checks permission and validates with the model's full_clean(); its
DomainError is shown on the form (see `web.generic.apply_domain_error`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from equitable.network.codes import GRADE_CODES, GROUP_CODES, Pathway, StaffRole, StudentGroup
from equitable.network.models import Community, Department, Network, Person, School, StaffAssignment
from equitable.network.selectors import may_manage_directory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that only cleans its fields: the model's validation (clean(), uniqueness) runs once,
    in the service, and comes back as a DomainError placed on these fields."""

    def _post_clean(self):
        pass

    def save(self, commit=True):  # pragma: no cover - a guard
        raise NotImplementedError("Write through the service, not form.save().")


class SchoolForm(ServiceModelForm):
    class Meta:
        model = School
        fields = [
            "cds_code", "name", "level", "grade_low", "grade_high", "community", "network", "membership",
            "joined_on", "join_route", "left_on", "mou_start", "mou_end", "street", "city", "zip_code", "census_tract",
            "latitude", "longitude", "school_type", "charter", "directory_status",
        ]
        widgets = {name: DATE for name in ("joined_on", "left_on", "mou_start", "mou_end")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.restrict(user, "view")
        self.fields["network"].queryset = Network.objects.restrict(user, "view")
        self.fields["cds_code"].help_text = _("14 digits: county, district and school codes.")


def grade_field(code: str) -> str:
    return f"grade_{code}"


def group_field(code: str) -> str:
    return f"group_{code}"


class EnrollmentForm(forms.Form):
    """Enrollment of one school in one year: the total, unduplicated pupils, and one number per grade and
    per student group (blank = not recorded). The counts are assembled into `by_grade` and `by_group`."""

    total = forms.IntegerField(label=_("Total enrollment"), min_value=0)
    unduplicated = forms.IntegerField(
        label=_("Unduplicated pupils"), min_value=0, required=False,
        help_text=_("Low-income, English learner or foster youth, each student counted once (LCFF)."),
    )
    census_day = forms.DateField(label=_("Census day"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in GRADE_CODES:
            self.fields[grade_field(code)] = forms.IntegerField(
                label=_("Grade %(grade)s") % {"grade": code}, min_value=0, required=False,
                widget=forms.NumberInput(attrs={"class": "count"}),
            )
        for code in GROUP_CODES:
            self.fields[group_field(code)] = forms.IntegerField(
                label=StudentGroup(code).label, min_value=0, required=False,
                widget=forms.NumberInput(attrs={"class": "count"}),
            )

    @classmethod
    def initial_for(cls, enrollment) -> dict:
        if enrollment is None:
            return {}
        initial = {"total": enrollment.total, "unduplicated": enrollment.unduplicated,
                   "census_day": enrollment.census_day}
        initial.update({grade_field(code): value for code, value in (enrollment.by_grade or {}).items()})
        initial.update({group_field(code): value for code, value in (enrollment.by_group or {}).items()})
        return initial

    def grade_fields(self):
        return [self[grade_field(code)] for code in GRADE_CODES]

    def group_fields(self):
        return [self[group_field(code)] for code in GROUP_CODES]

    def clean(self):
        cleaned = super().clean()
        cleaned["by_grade"] = {
            code: cleaned[grade_field(code)] for code in GRADE_CODES if cleaned.get(grade_field(code)) is not None
        }
        cleaned["by_group"] = {
            code: cleaned[group_field(code)] for code in GROUP_CODES if cleaned.get(group_field(code)) is not None
        }
        return cleaned

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {"total": data["total"], "unduplicated": data.get("unduplicated"), "census_day": data.get("census_day"),
                "by_grade": data["by_grade"], "by_group": data["by_group"]}


class StaffAssignmentForm(forms.Form):
    """A person's role at a school. When adding, pick someone from the directory or name a new person."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    new_first_name = forms.CharField(label=_("New person: first name"), max_length=80, required=False)
    new_last_name = forms.CharField(label=_("New person: last name"), max_length=80, required=False)
    new_email = forms.EmailField(label=_("New person: email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)
    pathway = forms.ChoiceField(
        label=_("Teacher-leader pathway"), choices=[("", "—"), *Pathway.choices], required=False,
        help_text=_("Teacher leaders only."),
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE)

    PERSON_FIELDS = ("person", "new_first_name", "new_last_name", "new_email")
    REQUIRED_PERSON = _("Choose a person from the directory, or give the first and last name of a new person.")
    BOTH_PERSON = _("Choose a person from the directory or name a new person, not both.")

    def __init__(self, *args, user, adding: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.adding = adding
        if adding:
            self.fields["person"].queryset = Person.objects.restrict(user, "view").order_by("last_name", "first_name")
        else:
            for name in self.PERSON_FIELDS:
                del self.fields[name]

    @classmethod
    def initial_for(cls, assignment: StaffAssignment) -> dict:
        return {"role": assignment.role, "pathway": assignment.pathway, "start_date": assignment.start_date,
                "end_date": assignment.end_date}

    def clean(self):
        cleaned = super().clean()
        if not self.adding:
            return cleaned
        new_name = cleaned.get("new_first_name") or cleaned.get("new_last_name")
        if cleaned.get("person") and new_name:
            raise forms.ValidationError(self.BOTH_PERSON)
        if not cleaned.get("person") and not (cleaned.get("new_first_name") and cleaned.get("new_last_name")):
            if "person" not in self.errors:
                raise forms.ValidationError(self.REQUIRED_PERSON)
        return cleaned

    def assignment_data(self) -> dict:
        data = self.cleaned_data
        return {"role": data["role"], "pathway": data.get("pathway") or "", "start_date": data.get("start_date"),
                "end_date": data.get("end_date")}

    def new_person_data(self) -> dict | None:
        data = self.cleaned_data
        if data.get("person"):
            return None
        return {"first_name": data["new_first_name"], "last_name": data["new_last_name"],
                "email": data.get("new_email") or ""}


class PersonForm(ServiceModelForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "title", "department", "email", "phone"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if may_manage_directory(user):
            self.fields["department"].queryset = Department.objects.restrict(user, "view")
        else:  # principals keep their school's staff, who have no home-office department
            del self.fields["department"]
