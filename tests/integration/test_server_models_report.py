"""`hotline model report`: how the live suggestions did against what operators finally chose."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from server import schema
from server.db import write_tx


def add_ticket(conn, category: str, shown: list[str], *, days_ago: float = 1, status: str = "closed") -> None:
    at = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat()
    rank = shown.index(category) + 1 if category in shown else None
    conn.execute(insert(schema.tickets).values(id=str(uuid.uuid4()), status=status, category_code=category,
                                               description="描述", suggestions=json.dumps(shown),
                                               suggestion_rank=rank, created_at=at, updated_at=at))


def test_report_by_domain_and_most_corrected(server_db_url, capsys):
    from domain.taxonomy import load_taxonomy
    from server.migrate import migrate
    from server.model_cli import report_command, suggestion_report

    taxonomy = load_taxonomy()
    first, second = taxonomy.domains()[:2]
    a = [c.code for c in taxonomy.leaves() if taxonomy.domain_of(c.code).code == first.code][:6]
    b = [c.code for c in taxonomy.leaves() if taxonomy.domain_of(c.code).code == second.code][:6]
    engine = migrate(server_db_url)
    with write_tx(engine) as conn:
        for _ in range(3):
            add_ticket(conn, a[0], a[:5])  # first suggestion right
        add_ticket(conn, a[1], a[:5])  # second: a top-5 hit, corrected
        add_ticket(conn, b[5], b[:5])  # not suggested at all, corrected
        add_ticket(conn, b[5], b[:5])
        add_ticket(conn, b[0], b[:5], days_ago=40)  # too old for the window
        add_ticket(conn, b[0], b[:5], status="registered")  # not confirmed yet
        add_ticket(conn, b[0], [])  # typed in before any model: no suggestions shown
    report = suggestion_report(engine, 30, taxonomy)
    assert report["n"] == 6 and report["without_suggestions"] == 1
    assert report["top1"] == round(3 / 6, 4) and report["top5"] == round(4 / 6, 4)
    by_domain = {d["domain"]: d for d in report["by_domain"]}
    assert by_domain[first.code] == {"domain": first.code, "name": first.name_zh, "n": 4, "top1": 0.75, "top5": 1.0}
    assert by_domain[second.code]["top1"] == 0.0 and by_domain[second.code]["top5"] == 0.0
    assert report["most_corrected"][0] == {"category": b[5], "name": taxonomy.get(b[5]).name_zh, "corrected": 2,
                                           "usually_suggested": b[0]}

    assert report_command(server_db_url, 30) == 0
    out = capsys.readouterr().out
    assert "6 confirmed tickets with suggestions shown" in out and "top-1 0.500, top-5 0.667" in out
    assert first.name_zh in out and b[5] in out
    assert report_command(server_db_url, 30, as_json=True) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 6


def test_an_empty_window_says_so(server_db_url, capsys):
    from server.model_cli import report_command

    assert report_command(server_db_url, 7) == 0
    assert "No confirmed ticket with suggestions shown in the last 7 days" in capsys.readouterr().out
