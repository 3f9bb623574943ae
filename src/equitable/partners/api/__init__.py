"""Community-partner API under /api/v1/partners/…: each part of the work registers its viewsets."""

from __future__ import annotations


def register(router) -> None:
    from equitable.partners.api import agreements, clearance, directory, matching

    for module in (directory, clearance, agreements, matching):
        module.register(router)
