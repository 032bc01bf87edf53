"""The hotline's business rules in plain Python: no Qt, no database."""
