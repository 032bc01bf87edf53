"""`hotline model publish | list | report | retrain`: the service's suggestion models from the command line."""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from server import schema
from server.db import iso, utcnow


def _engine(db_url: str) -> Engine:
    from server.migrate import migrate

    return migrate(db_url)


def publish_command(db_url: str, model_dir: Path, by: str = "admin") -> int:
    from server.catalogue import active_taxonomy
    from server.model_store import PublishError, publish_model_dir

    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        print(f"hotline model publish: {model_dir} is not a folder; give the folder `hotline train --out` wrote.",
              file=sys.stderr)
        return 2
    engine = _engine(db_url)
    taxonomy = active_taxonomy(engine)
    try:
        info = publish_model_dir(engine, model_dir, by, source="publish", taxonomy=taxonomy)
    except PublishError as exc:
        print(f"hotline model publish: {exc}", file=sys.stderr)
        return 2
    print(f"published model {info['version']} for catalogue {info['taxonomy_version']} "
          f"({info['size'] / 1e6:.1f} MB, sha256 {info['sha256'][:16]}...): consoles fetch it at their next sync.")
    return 0


def _pct(value) -> str:
    return f"{value:.3f}" if isinstance(value, (int, float)) else "-"


def list_command(db_url: str, as_json: bool = False) -> int:
    from server.model_store import list_models

    models = list_models(_engine(db_url))
    if as_json:
        for item in models:
            print(json.dumps(item, ensure_ascii=False))
        return 0
    if not models:
        print("No model has been published yet; the service builds a starter model when it starts.")
        return 0
    header = ("", "version", "status", "source", "catalogue", "published at (UTC)", "by", "MB", "top-1", "top-5",
              "held out", "against (top-1 / top-5)", "note")
    rows = []
    for m in models:
        f = m["figures"] or {}
        against = ""
        if f.get("against"):
            against = f"{f['against']} ({_pct(f.get('against_top1'))} / {_pct(f.get('against_top5'))})"
        rows.append(("*" if m["in_use"] else "", m["version"], m["status"], m["source"], m["taxonomy_version"],
                     m["created_at"][:19].replace("T", " "), m["created_by"], f"{m['size'] / 1e6:.1f}",
                     _pct(f.get("top1")), _pct(f.get("top5")), str(f.get("holdout", "")), against, _note(f)))
    _print_table(header, rows)
    print("* = handed to consoles now. top-1 / top-5: the candidate's, on the recent confirmed tickets held out of "
          "its retraining; 'against': the model in use then, on the same tickets.")
    return 0


def _note(figures: dict) -> str:
    if figures.get("packaged"):
        return "shipped with the package"
    if figures.get("build_s") is not None:
        return f"built on the service in {figures['build_s']:.0f} s"
    if figures.get("decision") == "refused":
        return f"not published: {figures.get('reason', '')}"
    return ""


def _print_table(header, rows) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def suggestion_report(engine: Engine, days: int, taxonomy=None, most_corrected: int = 10) -> dict:
    """How the live suggestions did against what operators finally chose, over tickets created in the last
    `days` days that were confirmed (answered, dispatched or further) and had suggestions shown."""
    from domain.taxonomy import load_taxonomy
    from server.model_store import _confirmed

    taxonomy = taxonomy or load_taxonomy()
    t = schema.tickets
    since = iso(utcnow() - timedelta(days=days))
    with engine.connect() as conn:
        rows = conn.execute(_confirmed(select(t.c.category_code, t.c.suggestions))
                            .where(t.c.created_at >= since)).all()
    total = {"n": 0, "top1": 0, "top5": 0}
    by_domain: dict[str, dict] = defaultdict(lambda: {"n": 0, "top1": 0, "top5": 0})
    corrected: Counter = Counter()
    instead: dict[str, Counter] = defaultdict(Counter)
    without = 0
    for code, raw in rows:
        try:
            shown = [str(s) for s in json.loads(raw or "[]")]
        except (ValueError, TypeError):
            shown = []
        if not shown:
            without += 1
            continue
        domain = taxonomy.domain_of(code)
        name = domain.code if domain else "?"
        for bucket in (total, by_domain[name]):
            bucket["n"] += 1
            bucket["top1"] += shown[0] == code
            bucket["top5"] += code in shown[:5]
        if shown[0] != code:
            corrected[code] += 1
            instead[code][shown[0]] += 1

    def rates(bucket: dict) -> dict:
        n = bucket["n"]
        return {"n": n, "top1": round(bucket["top1"] / n, 4) if n else None,
                "top5": round(bucket["top5"] / n, 4) if n else None}

    domains = []
    for code, bucket in sorted(by_domain.items(), key=lambda item: -item[1]["n"]):
        category = taxonomy.get(code)
        domains.append({"domain": code, "name": category.name_zh if category else "", **rates(bucket)})
    return {
        "days": days, **rates(total), "without_suggestions": without, "by_domain": domains,
        "most_corrected": [{"category": code, "name": getattr(taxonomy.get(code), "name_zh", ""), "corrected": n,
                            "usually_suggested": instead[code].most_common(1)[0][0]}
                           for code, n in corrected.most_common(most_corrected)],
    }


def report_command(db_url: str, days: int, as_json: bool = False) -> int:
    from server.catalogue import active_taxonomy

    engine = _engine(db_url)
    report = suggestion_report(engine, days, active_taxonomy(engine))
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    if not report["n"]:
        print(f"No confirmed ticket with suggestions shown in the last {days} days.")
        return 0
    print(f"Live suggestions over the last {days} days: {report['n']} confirmed tickets with suggestions shown "
          f"({report['without_suggestions']} without). top-1 {_pct(report['top1'])}, top-5 {_pct(report['top5'])} "
          "(the operator's final category was the first / among the five suggested).")
    print()
    _print_table(("domain", "name", "tickets", "top-1", "top-5"),
                 [(d["domain"], d["name"], d["n"], _pct(d["top1"]), _pct(d["top5"])) for d in report["by_domain"]])
    if report["most_corrected"]:
        print()
        print("Most often corrected (the operator chose another category than the first suggestion):")
        _print_table(("category", "name", "corrected", "usually suggested instead"),
                     [(c["category"], c["name"], c["corrected"], c["usually_suggested"])
                      for c in report["most_corrected"]])
    return 0


def retrain_command(db_url: str) -> int:
    from classifier.training import TrainingError
    from server.model_store import run_retrain

    try:
        result = run_retrain(_engine(db_url), "admin")
    except TrainingError as exc:
        print(f"hotline model retrain: {exc}", file=sys.stderr)
        return 2
    if result is None:
        print("hotline model retrain: a retraining is already running in this process.", file=sys.stderr)
        return 1
    print(f"candidate {result['version']}: {result['decision']} ({result['reason']}); held out {result['holdout']} "
          f"recent tickets, trained on {result['trained_on']}.")
    return 0
