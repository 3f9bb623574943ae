"""Forms of the need pages. They gather and shape input only: need models and their weights are written by
`equity.services.need_model_create/need_model_update`, which check permission and run full_clean()."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from equitable.equity.models import Indicator, NeedModel
from equitable.network.forms import ServiceModelForm
from equitable.network.models import SchoolYear

BAD_CUTS = _("Give four ascending numbers separated by commas, or leave empty for quintiles.")


def weight_field(code: str) -> str:
    return f"weight_{code}"


class CutPointsField(forms.CharField):
    """"20, 40, 60, 80" → [20.0, 40.0, 60.0, 80.0]; empty → [] (quintiles)."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return []
        try:
            cuts = [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(BAD_CUTS) from None
        if len(cuts) != 4 or any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
            raise forms.ValidationError(BAD_CUTS)
        return cuts


class NeedModelForm(ServiceModelForm):
    """A need model's settings and one weight per indicator (blank or 0 = not in the model)."""

    cut_points = CutPointsField(label=_("Custom tier cut points"), required=False,
                                help_text=_("Four ascending scores, e.g. 20, 40, 60, 80. Empty: quintiles."))

    class Meta:
        model = NeedModel
        fields = ["name", "school_year", "normalization", "missing_rule", "cut_points", "description"]
        labels = {
            "name": _("Name"),
            "school_year": _("School year"),
            "normalization": _("Normalization"),
            "missing_rule": _("Missing data"),
            "description": _("Description"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, weights: dict[str, Decimal] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = SchoolYear.objects.order_by("-start_date")
        self.indicators = list(Indicator.objects.order_by("family", "name"))
        weights = weights or {}
        for indicator in self.indicators:
            self.fields[weight_field(indicator.code)] = forms.DecimalField(
                label=indicator.name, required=False, min_value=0, max_digits=8, decimal_places=4,
                initial=weights.get(indicator.code),
                help_text=f"{indicator.code} · {indicator.get_family_display()} · "
                          + str(_("higher = more need") if indicator.higher_is_more_need else _("lower = more need")),
                widget=forms.NumberInput(attrs={"step": "any", "class": "count"}),
            )

    def setting_fields(self):
        return [self[name] for name in self.Meta.fields]

    def weight_fields(self):
        return [self[weight_field(i.code)] for i in self.indicators]

    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def weights(self) -> dict[str, Decimal]:
        out = {}
        for indicator in self.indicators:
            value = self.cleaned_data.get(weight_field(indicator.code))
            if value is not None and value > 0:
                out[indicator.code] = value
        return out


class CompareForm(forms.Form):
    other = forms.ModelChoiceField(label=_("Compare with"), queryset=NeedModel.objects.none())

    def __init__(self, *args, user, exclude_pk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = NeedModel.objects.restrict(user, "view").exclude(pk=exclude_pk)
