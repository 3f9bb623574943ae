"""Community-partner import kinds (found by the import framework's autodiscovery of `importers`)."""

from equitable.partners.importers import clearance, directory, measures  # noqa: F401  (registers the kinds)
