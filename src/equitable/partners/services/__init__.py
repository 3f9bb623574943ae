"""Writes for community partners, one module per part of the work: `directory` (organizations, people,
focus areas, needs assessments), `clearance` (requirements, tiers, checks, campus approvals), `agreements`
(agreements, renewals, decisions, convenings, surveys, measures) and `matching` (accepting suggestions).
Every function is keyword-only, takes the acting user, checks `restrict`/`permits_add`, and saves atomically
with an audit entry."""
