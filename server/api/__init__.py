"""The HTTP API's routes, one APIRouter module per area; `ROUTERS` is what the app includes, in order."""

from __future__ import annotations

from server.api import auth, health, records, sync, users

ROUTERS = [health.router, auth.router, sync.router, users.router, records.router]
