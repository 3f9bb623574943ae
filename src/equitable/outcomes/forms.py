"""Forms of the outcomes pages. They gather and shape input only: goals are written by
`outcomes.services.goal_create/goal_update`, which check permission and run the model's full_clean()."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from equitable.network.forms import ServiceModelForm
from equitable.network.models import School
from equitable.outcomes.filters import GROUP_CHOICES
from equitable.outcomes.models import Goal


class GoalForm(ServiceModelForm):
    student_group = forms.ChoiceField(label=_("Student group"), choices=GROUP_CHOICES, initial="ALL")

    class Meta:
        model = Goal
        fields = ["name", "indicator", "student_group", "school", "baseline_year", "baseline_value", "target_year",
                  "target_value", "description"]
        labels = {
            "name": _("Name"),
            "indicator": _("Indicator"),
            "school": _("School"),
            "baseline_year": _("Baseline year"),
            "baseline_value": _("Baseline value"),
            "target_year": _("Target year"),
            "target_value": _("Target value"),
            "description": _("Description"),
        }
        help_texts = {
            "school": _("Leave empty for a network-wide goal."),
            "baseline_year": _("The spring year: 2025 means 2024-25."),
            "target_year": _("The spring year the target is for."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.restrict(user, "view").order_by("name")
        self.fields["school"].empty_label = _("The whole network")
