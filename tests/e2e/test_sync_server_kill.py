"""The service killed (SIGKILL) in the middle of a push and started again: nothing lost, nothing doubled."""

from __future__ import annotations

import threading

import pytest

from tests.e2e.harness import FaultProxy, make_console, server_tickets, token_for
from tests.support import wait_until

pytestmark = pytest.mark.timeout(240)

TICKETS = 250


@pytest.mark.parametrize("batch", [50, 1000], ids=["between-batches", "inside-one-large-batch"])
def test_service_killed_mid_push_and_restarted_loses_and_doubles_nothing(fresh_service, tmp_path, batch):
    proxy = FaultProxy(fresh_service.port)
    op1 = make_console(tmp_path, proxy.url, "op1", "operator", push_batch=batch, live=False)
    try:
        made = [op1.cache.create_ticket({"description": f"kill test {i} 噪音"}, "op1")["id"] for i in range(TICKETS)]
        op1.cache.add_note(made[-1], "the last one has a note", "op1")
        total = op1.cache.pending_count()
        pushes = []
        original_post = op1.engine._post

        def counting_post(path, token, payload):
            pushes.append(len(payload.get("mutations", [])))
            return original_post(path, token, payload)

        op1.engine._post = counting_post
        syncing = threading.Thread(target=op1.engine.sync_once)
        syncing.start()
        if batch < TICKETS:
            # Some batches went through, the next is on its way.
            wait_until(lambda: len(pushes) >= 3 or not syncing.is_alive(), timeout=60)
        else:
            # The whole large batch has reached the service, which is busy applying it.
            wait_until(lambda: proxy.push_delivered.is_set() or not syncing.is_alive(), timeout=60)
        fresh_service.kill()
        syncing.join(timeout=60)
        assert not syncing.is_alive()
        assert op1.engine.state.last_error, "the kill came too late to test anything"
        if batch >= TICKETS:
            assert op1.cache.pending_count() == total  # killed before it could answer
        else:
            assert 0 < op1.cache.pending_count() < total

        fresh_service.start()
        state = op1.engine.sync_once()
        assert state.last_error is None and state.pending == 0, state.last_error
    finally:
        proxy.close()
        op1.engine.close()

    on_server = server_tickets(fresh_service.url, token_for(fresh_service.url, "sup1"))
    ids = [t["id"] for t in on_server]
    assert sorted(ids) == sorted(made), "tickets lost or unexpected on the service"
    numbers = [t["number"] for t in on_server]
    assert all(numbers) and len(set(numbers)) == TICKETS, "a ticket numbered twice"
    assert op1.cache.count_tickets() == TICKETS
    assert all(op1.cache.get_ticket(t)["number"] for t in made)
    assert op1.cache.rejections() == []
    assert [n["text"] for n in op1.cache.notes(made[-1])] == ["the last one has a note"]
