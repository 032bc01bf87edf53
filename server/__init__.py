"""The central service: HTTP API, accounts and roles, sync endpoints, change feed, model distribution."""

__version__ = "0.1.0"
