"""Governance: review schedules and what each licence allows."""
