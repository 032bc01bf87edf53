"""Entry point: `python main.py ...` is the `hotline` command."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path


def _db_url(args) -> str:
    """--db, else the service's own SQLite under HOTLINE_HOME (never the demo's: see cmd_default)."""
    from domain.home import default_server_db_url

    return getattr(args, "db", None) or default_server_db_url()


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("give a whole number of 1 or more")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port: give a whole number from 1 to 65535 (0: any free one)")
    return value


def _read_password() -> str:
    """From stdin when piped (scripts, tests), else a prompt that does not echo."""
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\n")


def cmd_default(args) -> int:
    """The console next to an embedded central service on SQLite, seeded on first run."""
    from classifier.default_model import ensure_default_model
    from console.app import run_console
    from domain.home import demo_server_db_url
    from server.demo_seed import seed_demo
    from server.runner import start_in_thread

    db_url = getattr(args, "db", None) or demo_server_db_url()  # the demo's own database, used by nothing else
    seed_demo(db_url)
    ensure_default_model()
    server = start_in_thread(db_url, host="127.0.0.1", port=args.port or 0)
    try:
        return run_console(server_url=server.url, embedded=True)
    finally:
        server.stop()


def cmd_console(args) -> int:
    from storage.http_client import InsecureServerURL, TlsPolicy, configure_tls

    policy = TlsPolicy(ca_file=Path(args.ca) if args.ca else None, allow_plain_http=args.allow_plain_http)
    try:
        policy.check_url(args.server)
        configure_tls(policy)  # every client the console makes (sign-in, sync, event stream) verifies this way
    except InsecureServerURL as exc:
        print(f"hotline console: {exc.message}", file=sys.stderr)
        return 2
    from console.app import run_console

    return run_console(server_url=args.server, embedded=False)


def cmd_server(args) -> int:
    from sqlalchemy.engine import make_url

    from server.runner import StartRefused, serve

    db_url = _db_url(args)
    shown = make_url(db_url).render_as_string(hide_password=True)
    where = "" if getattr(args, "db", None) else " (the default under HOTLINE_HOME; --db names another)"
    print(f"hotline server: database {shown}{where}", file=sys.stderr)
    try:
        serve(db_url, host=args.host, port=args.port if args.port is not None else 8345, certfile=args.certfile,
              keyfile=args.keyfile, forwarded_allow_ips=args.forwarded_allow_ips)
    except StartRefused as exc:
        print(f"hotline server: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_user_add(args) -> int:
    from server.accounts import add_user_command

    return add_user_command(_db_url(args), args.name, args.role, _read_password(), unit=args.unit)


def cmd_user_password(args) -> int:
    from server.accounts import set_password_command

    return set_password_command(_db_url(args), args.name, _read_password())


def cmd_user_totp(args) -> int:
    from server.accounts import totp_command

    return totp_command(_db_url(args), args.name, remove=args.remove)


def cmd_apikey_add(args) -> int:
    from server.accounts import add_apikey_command

    return add_apikey_command(_db_url(args), args.name)


def cmd_demo_data(args) -> int:
    from domain.demo_data import write_csv

    count = write_csv(Path(args.out), args.tickets, seed=args.seed)
    print(f"wrote {count} tickets to {args.out}")
    return 0


def cmd_train(args) -> int:
    from classifier.training import TrainingError, train_csv

    try:
        summary = train_csv(Path(args.data), args.text_column, args.label_column, Path(args.out))
    except TrainingError as exc:
        print(f"hotline train: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_evaluate(args) -> int:
    from classifier.evaluation import evaluate_csv
    from classifier.training import TrainingError

    try:
        figures = evaluate_csv(Path(args.model), Path(args.data), args.text_column, args.label_column)
    except TrainingError as exc:
        print(f"hotline evaluate: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(figures, ensure_ascii=False))
    return 0


def cmd_taxonomy_import(args) -> int:
    from server.catalogue import import_command

    # Without --db: the embedded service's database and this machine's catalogue; with it: the service's.
    return import_command(_db_url(args), Path(args.file), install_locally=getattr(args, "db", None) is None)


def cmd_model_publish(args) -> int:
    from server.model_cli import publish_command

    return publish_command(_db_url(args), Path(args.dir))


def cmd_model_list(args) -> int:
    from server.model_cli import list_command

    return list_command(_db_url(args), as_json=args.json)


def cmd_model_report(args) -> int:
    from server.model_cli import report_command

    return report_command(_db_url(args), args.days, as_json=args.json)


def cmd_model_retrain(args) -> int:
    from server.model_cli import retrain_command

    return retrain_command(_db_url(args))


def cmd_rank(args) -> int:
    from server.ranking import rank_command

    return rank_command(_db_url(args), args.month, as_json=args.json)


def cmd_call(args) -> int:
    from console.screen_pop_client import send_call

    # "-" reads the number from stdin, so it never shows in the machine's process list.
    ani = sys.stdin.readline().strip() if args.ani == "-" else args.ani
    return send_call(ani, port=args.call_port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hotline", description="City public-service hotline: console and central service.")
    parser.add_argument("--db", help="central service database URL (default under HOTLINE_HOME: server.db for the demo, "
                        "service.db for the service's commands)")
    parser.add_argument("--port", type=_port, default=None, help="port of the embedded service (default: any free one)")
    # A subcommand's own --db/--port only count when given, so `hotline --db URL user add ...` works too.
    here = argparse.SUPPRESS
    parser.set_defaults(func=cmd_default)
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("console", help="the console against a given central service")
    p.add_argument("--server", required=True, help="URL of the central service, e.g. https://hotline.example:8345")
    p.add_argument("--ca", metavar="FILE", help="trust only this CA certificate (PEM) for the service's certificate "
                   "(default: the certificates this computer trusts)")
    p.add_argument("--allow-plain-http", action="store_true", help="allow an http:// service on another machine "
                   "(passwords and caller data then cross the network unencrypted; loopback is always allowed)")
    p.set_defaults(func=cmd_console)

    p = sub.add_parser("server", help="the central service")
    p.add_argument("--db", default=here, help="database URL: postgresql+psycopg://... or sqlite:///... (default: "
                   "service.db under HOTLINE_HOME, never the demo's server.db)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=_port, default=here, help="port to listen on (default 8345)")
    p.add_argument("--certfile", metavar="FILE", help="serve HTTPS with this PEM certificate (with its chain)")
    p.add_argument("--keyfile", metavar="FILE", help="the certificate's private key (PEM)")
    p.add_argument("--forwarded-allow-ips", metavar="LIST", help="believe X-Forwarded-For only from these proxies "
                   "(comma-separated addresses or networks, e.g. 127.0.0.1); default: from nobody")
    p.set_defaults(func=cmd_server)

    p = sub.add_parser("user", help="accounts")
    user_sub = p.add_subparsers(dest="user_command", required=True)
    q = user_sub.add_parser("add", help="create an account; the password (10 or more characters, not a common "
                            "one) is read from stdin")
    q.add_argument("name", help="the sign-in name")
    q.add_argument("--role", required=True, choices=["operator", "supervisor", "handler", "admin"], help="what the account may do")
    q.add_argument("--unit", help="the unit a handler works for (its code, e.g. SD-110101001)")
    q.add_argument("--db", default=here, help="central service database URL")
    q.set_defaults(func=cmd_user_add)
    q = user_sub.add_parser("password", help="set a new password, read from stdin; the account's sessions end")
    q.add_argument("name", help="the sign-in name")
    q.add_argument("--db", default=here, help="central service database URL")
    q.set_defaults(func=cmd_user_password)
    q = user_sub.add_parser("totp", help="enrol a supervisor's or admin's authenticator app (second factor); "
                            "prints the provisioning URI and secret")
    q.add_argument("name", help="the sign-in name")
    q.add_argument("--remove", action="store_true", help="turn the second factor off again")
    q.add_argument("--db", default=here, help="central service database URL")
    q.set_defaults(func=cmd_user_totp)

    p = sub.add_parser("apikey", help="Open311 API keys for third parties")
    key_sub = p.add_subparsers(dest="apikey_command", required=True)
    q = key_sub.add_parser("add", help="create an API key and print it")
    q.add_argument("name", help="who the key is for")
    q.add_argument("--db", default=here, help="central service database URL")
    q.set_defaults(func=cmd_apikey_add)

    p = sub.add_parser("demo-data", help="generated, labeled tickets over the taxonomy")
    p.add_argument("--tickets", type=_positive, required=True, help="how many tickets to generate")
    p.add_argument("--out", required=True, help="the CSV file to write")
    p.add_argument("--seed", type=int, default=12345, help="the same seed gives the same tickets (default 12345)")
    p.set_defaults(func=cmd_demo_data)

    for name, func, help_text in (
        ("train", cmd_train, "train a suggestion model on any labeled CSV"),
        ("evaluate", cmd_evaluate, "evaluate a suggestion model; prints one JSON line"),
    ):
        p = sub.add_parser(name, help=help_text)
        if name == "train":
            p.add_argument("--out", required=True, help="folder to write the model to")
        else:
            p.add_argument("--model", required=True, help="folder of a trained model")
        p.add_argument("--data", required=True, help="a labeled CSV file (UTF-8, with a header row)")
        p.add_argument("--text-column", required=True, help="the column with the caller's description")
        p.add_argument("--label-column", required=True, help="the column with the category label")
        p.set_defaults(func=func)

    p = sub.add_parser("taxonomy", help="the category catalogue")
    tax_sub = p.add_subparsers(dest="taxonomy_command", required=True)
    q = tax_sub.add_parser("import", help="replace the catalogue with a city's own (CSV or YAML), validated")
    q.add_argument("file", help="the catalogue, .csv or .yaml (format: resources/taxonomy/FORMAT.md)")
    q.add_argument("--db", default=here, help="the central service's database (default: the embedded one under "
                   "HOTLINE_HOME, and this machine's catalogue too)")
    q.set_defaults(func=cmd_taxonomy_import)

    p = sub.add_parser("model", help="the service's suggestion models")
    model_sub = p.add_subparsers(dest="model_command", required=True)
    q = model_sub.add_parser("publish", help="check a model made with `hotline train` against the catalogue and publish it")
    q.add_argument("dir", help="the model folder (hotline train --out)")
    q.add_argument("--db", default=here, help="central service database URL")
    q.set_defaults(func=cmd_model_publish)
    q = model_sub.add_parser("list", help="the models kept: published, in use, refused; when, by whom, figures")
    q.add_argument("--json", action="store_true", help="one JSON line per model")
    q.add_argument("--db", default=here, help="central service database URL")
    q.set_defaults(func=cmd_model_list)
    q = model_sub.add_parser("report", help="how live suggestions did against the operators' final categories")
    q.add_argument("--days", type=_positive, default=30, help="tickets created in the last N days (default 30)")
    q.add_argument("--json", action="store_true", help="one JSON object instead of tables")
    q.add_argument("--db", default=here, help="central service database URL")
    q.set_defaults(func=cmd_model_report)
    q = model_sub.add_parser("retrain", help="retrain now; published only if not worse than the model in use")
    q.add_argument("--db", default=here, help="central service database URL")
    q.set_defaults(func=cmd_model_retrain)

    p = sub.add_parser("rank", help="the units' three-rate ranking for a month")
    p.add_argument("--month", required=True, help="the month, YYYY-MM (the hotline's local time)")
    p.add_argument("--json", action="store_true", help="one JSON line per unit instead of a table")
    p.add_argument("--db", default=here, help="central service database URL")
    p.set_defaults(func=cmd_rank)

    p = sub.add_parser("call", help="screen-pop: tell the running console a call came in")
    p.add_argument("--ani", required=True, help="the caller's number from the phone system, or - to read it from stdin")
    p.add_argument("--port", dest="call_port", type=_port, default=None, help="the console's screen-pop port (default: from HOTLINE_HOME)")
    p.set_defaults(func=cmd_call)
    return parser


# The commands that open the central service's database (--db, or service.db under HOTLINE_HOME).
_DB_COMMANDS = {"server", "user", "apikey", "taxonomy", "model", "rank"}
# The commands that keep logs, settings, a cache or a database under HOTLINE_HOME (None: the demo).
_HOME_COMMANDS = {None, "console", "call"} | _DB_COMMANDS


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in _HOME_COMMANDS:
        return args.func(args) or 0
    from sqlalchemy.exc import DatabaseError, OperationalError

    from domain.home import HomeUnusable, hotline_home
    from server.db import DatabaseUnusable, check_db_url, database_problem

    words = [args.command, getattr(args, f"{args.command}_command", None)] if args.command else []
    name = " ".join(["hotline", *filter(None, words)])
    try:
        hotline_home()  # a HOTLINE_HOME that cannot be a folder stops the command here, in one line
        if args.command in _DB_COMMANDS:
            check_db_url(_db_url(args))
        return args.func(args) or 0
    except (HomeUnusable, DatabaseUnusable) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
    except DatabaseError as exc:  # unreachable, no such role or database, not a database: one line, no traceback
        problem, may_pass = database_problem(exc)
        if may_pass and not isinstance(exc, OperationalError):
            raise  # not about reaching the database: a fault to see whole
        print(f"{name}: {problem}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
