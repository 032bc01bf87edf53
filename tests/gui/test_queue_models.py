"""Every item model of the queue, caller context, diagnostics and supervisor view passes qtmodeltester."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from console.diagnostics import RejectionTableModel
from console.queue_supervisor import OperatorLoadModel
from tests.gui.test_queue_helpers import cache, pull, server_ticket  # noqa: F401  (fixture)
from widgets import sla
from widgets.caller_context import ContextTicketModel
from widgets.ticket_table import OPEN_ONLY, SLA, SortRole, TicketFilterProxy, TicketTableModel


def _tickets(n):
    now = datetime.now(timezone.utc)
    return [server_ticket(i, status=("dispatched", "closed", "accepted")[i % 3],
                          due_at=(now + timedelta(hours=(i % 7) * 10 - 20)).isoformat()) for i in range(1, n + 1)]


def test_ticket_table_model_pages_and_passes_modeltester(qtmodeltester, cache):
    pull(cache, _tickets(45))
    loader_calls = []

    def loader(offset, limit):
        loader_calls.append((offset, limit))
        return cache.list_tickets(offset=offset, limit=limit)

    model = TicketTableModel(loader, page_size=20)
    assert model.rowCount() == 20  # only the first page at start
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 45
    assert not model.canFetchMore()
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_proxy_filters_and_sorts_by_time_left(qtmodeltester, cache):
    pull(cache, _tickets(30))
    model = TicketTableModel(lambda o, l: cache.list_tickets(offset=o, limit=l), page_size=100)
    model.set_now(datetime.now(timezone.utc))  # one moment for every row, so the order is exact
    proxy = TicketFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_status_filter(OPEN_ONLY)
    assert proxy.rowCount() == 20
    assert all(proxy.index(r, 1).data() != "closed" for r in range(proxy.rowCount()))
    proxy.sort(SLA)
    lefts = [proxy.index(r, SLA).data(SortRole) for r in range(proxy.rowCount())]
    assert lefts == sorted(lefts)
    assert proxy.index(0, SLA).data(sla.SlaLevelRole) == sla.OVERDUE
    proxy.set_status_filter("accepted")
    assert proxy.rowCount() == 10
    qtmodeltester.check(proxy)


def test_small_models_pass_modeltester(qtmodeltester, cache):
    tickets = _tickets(5)
    context = ContextTicketModel()
    context.set_tickets(tickets)
    qtmodeltester.check(context)
    rejections = RejectionTableModel([{"mutation_id": 3, "ticket_id": "x", "name": "ticket.reassign",
                                       "args": {"id": "x"}, "reason": "assignee changed", "rejected_at": "2026-11-27T10:00:00+00:00"}])
    qtmodeltester.check(rejections)
    load = OperatorLoadModel()
    load.set_tickets(tickets, ["op9"])
    qtmodeltester.check(load)
    assert "op9" in load.operators()


def test_sla_levels():
    assert sla.level(timedelta(hours=30)) == sla.OK
    assert sla.level(timedelta(hours=10)) == sla.AMBER
    assert sla.level(timedelta(hours=1)) == sla.RED
    assert sla.level(timedelta(minutes=-1)) == sla.OVERDUE
    assert sla.ticket_sla({"status": "closed", "due_at": "2020-01-01T00:00:00+00:00"})[1] == sla.NONE
