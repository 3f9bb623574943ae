"""Forms of the funding pages. They gather and shape input only: scenarios are written by
`funding.services` (scenario_create/update/compute/adopt/copy), which check permission, validate the
parameters and run the allocation engine; their DomainError is shown on the form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from equitable.equity.models import NeedModel
from equitable.funding.models import FundingSource, Method, Scenario, Status
from equitable.network.models import SchoolYear

BAD_RATES = _("Give five rates separated by commas, tier 1 (Highest need) to tier 5 (Lowest), e.g. 3, 2.5, 2, 1.5, 1.")

# Parameter fields of the form → `Scenario.parameters` keys (see funding.services.Parameters).
NUMBER_PARAMETERS = ("need_multiplier", "floor", "cap", "minimum_grant", "hold_harmless")
FLAG_PARAMETERS = ("spend_exactly", "monotone_per_pupil", "base_includes_lcff")
WEIGHT_PARAMETERS = {"weight_poverty": "poverty", "weight_english_learners": "english_learners",
                     "weight_disabilities": "disabilities"}


def source_field(pk: int) -> str:
    return f"source_{pk}"


class TierRatesField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(f"{v:g}" for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        try:
            rates = [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(BAD_RATES) from None
        if len(rates) != 5 or any(r < 0 for r in rates):
            raise forms.ValidationError(BAD_RATES)
        return rates


def _money_field(label, help_text=""):
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=14, decimal_places=2,
                              help_text=help_text, widget=forms.NumberInput(attrs={"step": "any"}))


class ScenarioForm(forms.Form):
    """A scenario: its year, method, need model, the amounts drawn from each source, and the method's
    options. Blank options take the method's defaults."""

    name = forms.CharField(label=_("Name"), max_length=200)
    school_year = forms.ModelChoiceField(label=_("School year"), queryset=SchoolYear.objects.none())
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    need_model = forms.ModelChoiceField(label=_("Need model"), queryset=NeedModel.objects.none(), required=False,
                                        help_text=_("Required by the tier, proportional and max–min methods."))
    previous = forms.ModelChoiceField(label=_("Previous adopted scenario"), queryset=Scenario.objects.none(),
                                      required=False,
                                      help_text=_("Its amounts are the baseline of the hold-harmless option."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    tier_rates = TierRatesField(label=_("Per-pupil rates by need tier"), required=False,
                                help_text=_("Tier method: relative rates for tiers 1 (Highest) to 5 (Lowest), "
                                            "e.g. 3, 2.5, 2, 1.5, 1."))
    weight_poverty = forms.FloatField(label=_("Extra weight: poverty"), required=False, min_value=0,
                                      help_text=_("Weighted formula, e.g. 0.12."))
    weight_english_learners = forms.FloatField(label=_("Extra weight: English learners"), required=False,
                                               min_value=0, help_text=_("Weighted formula, e.g. 0.4."))
    weight_disabilities = forms.FloatField(label=_("Extra weight: students with disabilities"), required=False,
                                           min_value=0, help_text=_("Weighted formula, e.g. 0.4."))
    need_multiplier = forms.FloatField(label=_("Need multiplier"), required=False, min_value=0,
                                       help_text=_("Proportional method: amount ∝ enrollment × (1 + multiplier × "
                                                   "need score ÷ 100)."))
    floor = _money_field(_("Floor per school"), _("No school gets less (unless below the minimum grant)."))
    cap = _money_field(_("Cap per school"), _("No school gets more."))
    minimum_grant = _money_field(_("Minimum grant"), _("A school below it gets 0 and its money is redistributed."))
    hold_harmless = forms.FloatField(label=_("Hold-harmless share"), required=False, min_value=0, max_value=1,
                                     help_text=_("e.g. 0.9: every school gets at least 90% of its amount in the "
                                                 "previous adopted scenario."))
    spend_exactly = forms.BooleanField(label=_("Spend the pool exactly"), required=False, initial=True,
                                       help_text=_("Otherwise what the rules leave over is reported as remainder."))
    monotone_per_pupil = forms.BooleanField(label=_("A needier school never gets less per pupil"), required=False)
    base_includes_lcff = forms.BooleanField(label=_("Count the LCFF estimate as existing dollars (min-spread)"),
                                            required=False)

    SETTINGS = ("name", "school_year", "method", "need_model", "previous", "description")
    OPTIONS = ("tier_rates", "weight_poverty", "weight_english_learners", "weight_disabilities", "need_multiplier",
               "floor", "cap", "minimum_grant", "hold_harmless", "spend_exactly", "monotone_per_pupil",
               "base_includes_lcff")

    def __init__(self, *args, user, scenario: Scenario | None = None, **kwargs):
        if scenario is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(scenario)
        elif scenario is None and "initial" not in kwargs:  # a new scenario starts in the current school year
            kwargs["initial"] = {"school_year": SchoolYear.objects.filter(is_current=True).first()}
        super().__init__(*args, **kwargs)
        self.scenario = scenario
        self.fields["school_year"].queryset = SchoolYear.objects.order_by("-start_date")
        self.fields["need_model"].queryset = NeedModel.objects.restrict(user, "view").select_related("school_year")
        previous = Scenario.objects.restrict(user, "view").filter(status=Status.ADOPTED)
        if scenario is not None:
            previous = previous.exclude(pk=scenario.pk)
        self.fields["previous"].queryset = previous.select_related("school_year")
        self.sources = list(FundingSource.objects.restrict(user, "view").select_related("school_year")
                            .order_by("-school_year__start_date", "kind", "name"))
        for source in self.sources:
            self.fields[source_field(source.pk)] = _money_field(
                f"{source.name} ({source.school_year.name})",
                f"{source.get_kind_display()} · {_('amount')} ${source.amount:,.0f}"
                + (f" · {_('restricted to')} {source.restricted_to}" if source.restricted_to else ""),
            )

    @staticmethod
    def initial_for(scenario: Scenario) -> dict:
        params = dict(scenario.parameters or {})
        initial = {"name": scenario.name, "school_year": scenario.school_year_id, "method": scenario.method,
                   "need_model": scenario.need_model_id, "previous": scenario.previous_id,
                   "description": scenario.description, "spend_exactly": params.get("spend_exactly", True)}
        for name in (*NUMBER_PARAMETERS, "monotone_per_pupil", "base_includes_lcff", "tier_rates"):
            if params.get(name) is not None:
                initial[name] = params[name]
        for field_name, key in WEIGHT_PARAMETERS.items():
            if (params.get("weights") or {}).get(key) is not None:
                initial[field_name] = params["weights"][key]
        for draw in scenario.sources.all():
            initial[source_field(draw.source_id)] = draw.amount
        return initial

    def setting_fields(self):
        return [self[name] for name in self.SETTINGS]

    def option_fields(self):
        return [self[name] for name in self.OPTIONS]

    def source_fields(self):
        return [self[source_field(s.pk)] for s in self.sources]

    def parameters(self) -> dict:
        data = self.cleaned_data
        params: dict = {}
        if data.get("tier_rates"):
            params["tier_rates"] = data["tier_rates"]
        weights = {key: data[name] for name, key in WEIGHT_PARAMETERS.items() if data.get(name) is not None}
        if weights:
            params["weights"] = weights
        for name in NUMBER_PARAMETERS:
            if data.get(name) is not None:
                params[name] = float(data[name])
        for name in FLAG_PARAMETERS:
            params[name] = bool(data.get(name))
        if params.get("spend_exactly") is True:
            params.pop("spend_exactly")  # the default
        for name in ("monotone_per_pupil", "base_includes_lcff"):
            if params.get(name) is False:
                params.pop(name)
        return params

    def draws(self) -> dict[FundingSource, Decimal]:
        out = {}
        for source in self.sources:
            amount = self.cleaned_data.get(source_field(source.pk))
            if amount:
                out[source] = amount
        return out

    def settings_data(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "school_year": data["school_year"], "method": data["method"],
                "need_model": data.get("need_model"), "previous": data.get("previous"),
                "description": data.get("description") or "", "parameters": self.parameters()}


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the new version"), max_length=200)


class FundingSourceForm(forms.ModelForm):
    """A funding source: philanthropic or public, restricted to a purpose or not, its amount and year. Validation
    (an amount below what adopted scenarios drew, a year change under adopted draws) is the service's."""

    class Meta:
        model = FundingSource
        fields = ["name", "kind", "restricted_to", "amount", "school_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = SchoolYear.objects.order_by("-start_date")
        self.fields["school_year"].empty_label = None

    def validate_unique(self):  # the service reports a duplicate name in the same year
        pass
