"""The personas of Equitable as roles, and the home-office areas of practice."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Network admin")
    STAFF = "staff", _("Home-office staff")
    DIRECTOR = "director", _("Senior director / coach")
    PRINCIPAL = "principal", _("Principal / school leader")
    PARTNER = "partner", _("Partner organization user")
    BOARD = "board", _("Board member / funder")


class Area(models.TextChoices):
    """Home-office areas of practice; a staff user edits the records of their own area."""

    ACADEMIC = "academic", _("Academics")
    OPERATIONS = "operations", _("Operations")
    PARTNERSHIPS = "partnerships", _("Community partnerships")
    FAMILY = "family", _("Family engagement")
    TALENT = "talent", _("Talent")
    ADVOCACY = "advocacy", _("Advocacy")
    FINANCE = "finance", _("Finance")
    ARTS = "arts", _("Arts education")


class Action(models.TextChoices):
    VIEW = "view", _("view")
    ADD = "add", _("add")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")


ACTIONS = {a.value for a in Action}
