"""Community-partner forms, one module per part of the work (directory, clearance, agreements, matching)."""
