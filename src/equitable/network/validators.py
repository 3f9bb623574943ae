"""CDS code validation: 14 digits = county (2) + district (5) + school (7)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CdsCode:
    county: str
    district: str
    school: str

    def __str__(self) -> str:
        return f"{self.county}{self.district}{self.school}"


def parse_cds(value: str) -> CdsCode:
    """Split a CDS code into its parts, raising ValidationError with a clear message."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("A CDS code is required."), code="required")
    if not text.isdigit():
        raise ValidationError(_("CDS code %(value)s must contain digits only.") % {"value": repr(text)}, code="digits")
    if len(text) != 14:
        raise ValidationError(
            _("CDS code %(value)s has %(n)d digits; a CDS code has 14 (county 2, district 5, school 7).")
            % {"value": text, "n": len(text)},
            code="length",
        )
    county, district, school = text[:2], text[2:7], text[7:]
    if not 1 <= int(county) <= 58:
        raise ValidationError(
            _("CDS code %(value)s starts with county %(county)s; California counties are 01–58.")
            % {"value": text, "county": county},
            code="county",
        )
    return CdsCode(county, district, school)


def validate_school_cds(value: str) -> None:
    code = parse_cds(value)
    if code.school == "0000000":
        raise ValidationError(
            _("CDS code %(value)s is a district (school part 0000000), not a school.") % {"value": value},
            code="school",
        )
