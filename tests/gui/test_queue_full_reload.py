"""A full reload (the service said the cursor means nothing) refreshes an open queue, however small."""

from __future__ import annotations

import httpx2

from console.queue import ALL, QueueView
from domain import wire
from storage.sync import SyncEngine
from tests.gui.test_queue_helpers import cache, pull, server_ticket  # noqa: F401  (fixture)
from widgets.ticket_table import NUMBER


def _numbers(view):
    return {view.proxy.index(r, NUMBER).data() for r in range(view.proxy.rowCount())}


def _service(snapshot: list[dict]):
    """A service that has lost this console's cursor (reset), then hands out a snapshot of `snapshot`."""

    def handler(request: httpx2.Request) -> httpx2.Response:
        path, params = request.url.path, request.url.params
        if path == wire.SyncPath.ME:
            return httpx2.Response(200, json={"username": "op1", "role": "operator"})
        if path == wire.SyncPath.PULL and "snapshot" not in params:
            return httpx2.Response(200, json={"reset": True, "cursor": 0, "changes": [], "has_more": True, "epoch": "E"})
        if path == wire.SyncPath.PULL:
            changes = [{"seq": 50, "kind": "ticket", "ticket": t} for t in snapshot]
            return httpx2.Response(200, json={"cursor": 50, "changes": changes, "has_more": False, "epoch": "E"})
        return httpx2.Response(404, json={"error": "not_found", "message": "no such thing"})

    return handler


def test_a_full_reload_refreshes_an_open_queue(qtbot, cache):  # noqa: F811 - the fixture
    kept = server_ticket(2, description="路灯不亮")
    pull(cache, [server_ticket(1), kept, server_ticket(3)])
    view = QueueView(cache, username="op1", role="operator")
    qtbot.addWidget(view)
    view.show()
    view.set_scope(ALL)
    assert _numbers(view) == {"20261127-000001", "20261127-000002", "20261127-000003"}
    # On the service, ticket 1 and 3 are gone from this user's sight, 2 changed, and 4 is new.
    snapshot = [dict(kept, description="路灯已修好", version=2), server_ticket(4)]
    client = httpx2.Client(transport=httpx2.MockTransport(_service(snapshot)))
    engine = SyncEngine(cache, "http://hotline.test", lambda: "token", client=client, live=False,
                        on_changes=view.apply_sync_changes)
    state = engine.sync_once()
    assert state.last_error is None and cache.cursor == 50
    assert _numbers(view) == {"20261127-000002", "20261127-000004"}
    assert view.model.ticket_at(view.model.row_of(kept["id"]))["description"] == "路灯已修好"
