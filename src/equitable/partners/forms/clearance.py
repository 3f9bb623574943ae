"""Forms of the clearance pages. They gather and shape input only: every write goes through
`partners/services/clearance.py`, whose DomainError is shown on the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from equitable.network.forms import DATE, ServiceModelForm
from equitable.network.models import School
from equitable.partners.models import (
    AppliesTo,
    ApprovalStatus,
    ClearanceCheck,
    ClearanceRequirement,
    ClearanceTier,
    Partner,
    PartnerPerson,
)
from equitable.partners.selectors.clearance import DEFAULT_DAYS, MAX_DAYS


class RequirementForm(ServiceModelForm):
    class Meta:
        model = ClearanceRequirement
        fields = ["name", "applies_to", "valid_days", "required_for_all_partners", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def service_args(self) -> dict:
        return {"data": dict(self.cleaned_data)}


class TierForm(ServiceModelForm):
    class Meta:
        model = ClearanceTier
        fields = ["name", "rank", "requirements", "allows", "description"]
        widgets = {"requirements": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirements"].queryset = ClearanceRequirement.objects.filter(applies_to=AppliesTo.PERSON)
        self.fields["requirements"].help_text = _("The checks each person of this tier needs.")

    def service_args(self) -> dict:
        data = dict(self.cleaned_data)
        requirements = data.pop("requirements", [])
        return {"data": data, "requirements": requirements}


class CheckForm(ServiceModelForm):
    """A dated check for the organization (no person) or one of its people."""

    verified = forms.BooleanField(label=_("Verified by partnerships staff"), required=False)

    class Meta:
        model = ClearanceCheck
        fields = ["person", "requirement", "completed_on", "expires_on", "reference"]
        widgets = {"completed_on": DATE, "expires_on": DATE}

    def __init__(self, *args, partner: Partner, may_verify: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        person = self.fields["person"]
        person.queryset = PartnerPerson.objects.filter(partner=partner).order_by("last_name", "first_name")
        person.required = False
        person.empty_label = _("— the organization —")
        person.help_text = _("Leave empty for an organization item (insurance, signed agreement…).")
        self.fields["requirement"].queryset = ClearanceRequirement.objects.all()
        self.fields["expires_on"].help_text = _(
            "Leave empty to count the requirement's validity from the completion date (or no expiry).")
        if may_verify:
            self.initial.setdefault("verified", bool(self.instance.pk and self.instance.verified_by_id))
        else:
            del self.fields["verified"]

    def service_args(self) -> dict:
        data = dict(self.cleaned_data)
        verified = data.pop("verified", None)
        person = data.pop("person", None)
        return {"person": person, "data": data, "verified": verified if "verified" in self.fields else None}


class ApprovalRequestForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    note = forms.CharField(label=_("Note for the principal"), max_length=300, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools.order_by("name")


class ApprovalDecideForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                               choices=[(ApprovalStatus.APPROVED, _("Approve")), (ApprovalStatus.DENIED, _("Deny"))])
    required_tier = forms.ModelChoiceField(
        label=_("Tier required at this campus"), queryset=ClearanceTier.objects.all(), required=False,
        help_text=_("Optional: ask more than the person's own tier (some schools require Tier III for everyone)."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ExpiringForm(forms.Form):
    days = forms.IntegerField(label=_("Within (days)"), min_value=0, max_value=MAX_DAYS, required=False,
                              initial=DEFAULT_DAYS)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), required=False)
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)

    def __init__(self, *args, schools, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools.order_by("name")
        self.fields["partner"].queryset = partners.order_by("name")
