"""Answers: safety triage, then cited extractive answers or an honest abstention.

Data flows: question → triage (fixed messages for urgent, self-harm and dosing
questions) → search → sentence selection (exact quotes, numbered citations) →
abstention when the evidence is weak → optional rewording by a language model,
accepted only when every sentence it writes is grounded in a quoted one.
"""
