"""Reusable Qt widgets and item models: the ticket form, suggestion list, ticket table, caller context, SLA and sync status."""
