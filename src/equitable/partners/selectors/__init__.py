"""Reads for community partners, always through `restrict(user, action)`; one module per part of the work."""
