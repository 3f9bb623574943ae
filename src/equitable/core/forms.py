"""Forms of the core app: the import page."""

from __future__ import annotations

import re
from pathlib import PurePath

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from equitable.core.imports import import_kind, import_kinds

IMPORT_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")
IMPORT_MAX_BYTES = 20 * 1024 * 1024


def _kind_choices():
    return [(k.slug, k.label) for k in import_kinds()]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"), choices=_kind_choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV, tab-delimited text or XLSX; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_fields: list[str] = []
        for kind in import_kinds():
            for option in kind.options:
                name = f"option_{option.name}"
                if name in self.fields:
                    continue
                self.fields[name] = forms.CharField(
                    label=format_lazy("{} ({})", option.label, kind.label), help_text=option.help_text,
                    required=False, max_length=100,
                )
                self.option_fields.append(name)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name or "").suffix.lower()
        if suffix not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Upload a .csv, .txt, .tsv or .xlsx file."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def clean(self):
        data = super().clean()
        kind = import_kind(data.get("kind") or "")
        if kind is None:
            return data
        for option in kind.options:
            name = f"option_{option.name}"
            value = (data.get(name) or "").strip()
            if value and option.pattern and not re.fullmatch(option.pattern, value):
                self.add_error(name, option.pattern_message or _("This value is not valid."))
        return data

    def options(self) -> dict[str, str]:
        """The options of the chosen kind, as the importer takes them."""
        kind = import_kind(self.cleaned_data["kind"])
        return {o.name: (self.cleaned_data.get(f"option_{o.name}") or "").strip() for o in kind.options}


class ConfirmImportForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
