"""Community-partner pages, one module per part of the work; each module exposes `urlpatterns`."""
