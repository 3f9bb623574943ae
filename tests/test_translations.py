"""The Spanish catalog: every message translated with its placeholders kept, the compiled catalog in step with
the source one, and pages in Spanish for a user who chooses Español."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings as project_settings

CATALOG = Path(project_settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\([a-zA-Z_0-9]+\)[sdfr]|%[sdf]|\{[a-zA-Z_0-9]*\}|\{\{ *[^}]+? *\}\}")


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(lines: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', lines)
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), "".join(parts))


def entries() -> list[dict[str, str]]:
    """(msgid, msgid_plural, msgstr…) of every entry of the source catalog, header left out."""
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    found = []
    for block in text.strip().split("\n\n")[1:]:
        fields: dict[str, str] = {}
        for key, value in re.findall(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) ((?:"(?:[^"\\]|\\.)*"\n?)+)',
                                     block + "\n", re.M):
            fields[key] = _unquote(value)
        fields["fuzzy"] = "#, fuzzy" in block
        found.append(fields)
    return found


def _placeholders(text: str) -> list[str]:
    return sorted(re.sub(r"\s+", "", p) for p in PLACEHOLDER.findall(text))


def test_every_message_is_translated_and_keeps_its_placeholders():
    catalog = entries()
    assert len(catalog) > 1000
    problems = []
    for e in catalog:
        if e["fuzzy"]:
            problems.append(f"fuzzy: {e['msgid']!r}")
        if "msgid_plural" in e:
            pairs = [(e["msgid"], e.get("msgstr[0]", "")), (e["msgid_plural"], e.get("msgstr[1]", ""))]
        else:
            pairs = [(e["msgid"], e.get("msgstr", ""))]
        for source, translation in pairs:
            if not translation:
                problems.append(f"untranslated: {source!r}")
            elif _placeholders(source) != _placeholders(translation) and not (
                    "msgid_plural" in e and set(_placeholders(translation)) <= set(_placeholders(source + "".join(
                        p for p, _ in pairs)))):
                problems.append(f"placeholders differ: {source!r} → {translation!r}")
    assert not problems, "\n".join(problems[:20])


def test_the_compiled_catalog_matches_the_source():
    with open(CATALOG / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in entries():
        if "msgid_plural" in e:
            if compiled.ngettext(e["msgid"], e["msgid_plural"], 1) != e.get("msgstr[0]"):
                stale.append(e["msgid"])
        elif "msgctxt" in e:
            if compiled.pgettext(e["msgctxt"], e["msgid"]) != e.get("msgstr"):
                stale.append(e["msgid"])
        elif compiled.gettext(e["msgid"]) != e.get("msgstr"):
            stale.append(e["msgid"])
    assert not stale, f"django.mo is older than django.po (run `make messages`): {stale[:5]}"


@pytest.mark.django_db
def test_a_user_who_chooses_spanish_reads_spanish(client_for):
    client = client_for("principal_a")
    response = client.post("/lang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="es">' in html
    assert "Cerrar sesión" in html and "Log out" not in html
    login = client_for("anonymous").get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in login


def test_spanish_keeps_the_numbers_families_read_here():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation
    from django.utils.formats import number_format

    with translation.override("es"):
        assert intcomma(14150) == "14,150"
        assert number_format(1234.5, decimal_pos=2, force_grouping=True) == "1,234.50"


def test_clearance_reasons_are_worded_in_the_readers_language():
    from datetime import date

    from django.utils import translation

    from equitable.partners import clearance as engine
    from equitable.partners.templatetags.clearance_words import reason_text

    tb = engine.Requirement(id=1, name="TB clearance", applies_to=engine.PERSON, valid_days=4 * 365)
    tier = engine.Tier(id=1, name="Tier II", rank=2, requirement_ids=(1,))
    status = engine.person_status(tier=tier, requirements={1: tb}, org_items=(), person_checks=(), org_checks=(),
                                  approval="pending", on=date(2026, 1, 5))
    with translation.override("en"):
        assert status.reason == "Missing: TB clearance" and reason_text(status) == status.reason
    with translation.override("es"):
        assert reason_text(status) == "Falta: TB clearance"
