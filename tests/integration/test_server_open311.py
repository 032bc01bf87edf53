"""Open311 GeoReport v2: discovery, services, filing with an API key, reading requests, tokens, errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from server import schema
from server.accounts import add_apikey_command
from server.db import shared_engine
from server.testing import running_api

BASE = "/open311/v2"
PHONE = "13912345678"
NAME = "张三丰"


@pytest.fixture
def api(server_db_url, capsys):
    with running_api(server_db_url) as api:
        assert add_apikey_command(server_db_url, "citizen-app") == 0
        api.key = capsys.readouterr().out.strip()
        api.read = lambda url, **kw: api.client.get(url, headers={"X-API-Key": api.key}, **kw)
        yield api


def leaf_codes(api, n=2):
    services = api.client.get(f"{BASE}/services.json").json()
    return [s["service_code"] for s in services[:n]]


def ticket_count(db_url):
    with shared_engine(db_url).connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.tickets)).scalar_one()


def file(api, **fields):
    r = api.client.post(f"{BASE}/requests.json", data={"api_key": api.key, **fields})
    assert r.status_code == 200, r.text
    return r.json()[0]["service_request_id"]


def assert_error(r, status, fmt="json"):
    assert r.status_code == status, r.text
    if fmt == "json":
        body = r.json()
        assert body[0]["code"] == status and body[0]["description"]
    else:
        root = ET.fromstring(r.content)
        assert root.tag == "errors"
        assert root.find("error/code").text == str(status) and root.find("error/description").text


def test_discovery_services_and_definitions(api):
    c = api.client
    d = c.get(f"{BASE}/discovery.json").json()
    assert d["changeset"] and d["contact"] and d["key_service"]
    assert d["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert d["endpoints"][0]["url"].endswith("/open311/v2/")
    assert ET.fromstring(c.get(f"{BASE}/discovery.xml").content).find("endpoints/endpoint/specification").text \
        == "http://wiki.open311.org/GeoReport_v2"

    services = c.get(f"{BASE}/services.json").json()
    assert len(services) >= 2000
    first = services[0]
    assert first["service_code"] and first["service_name"] and first["group"] and " › " in first["description"]
    assert first["metadata"] is False and first["type"] == "realtime" and "," in first["keywords"]
    english = c.get(f"{BASE}/services.json", params={"lang": "en"}).json()
    assert english[0]["service_code"] == first["service_code"] and english[0]["service_name"] != first["service_name"]
    r = c.get(f"{BASE}/services.xml")
    assert r.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(r.content)
    assert root.tag == "services" and len(root.findall("service")) == len(services)
    assert root.find("service/service_code").text == first["service_code"]
    assert root.find("service/service_name").text == first["service_name"]
    assert root.find("service/metadata").text == "false"

    definition = c.get(f"{BASE}/services/{first['service_code']}.json").json()
    assert definition == {"service_code": first["service_code"], "metadata": False, "attributes": []}
    root = ET.fromstring(c.get(f"{BASE}/services/{first['service_code']}.xml").content)
    assert root.tag == "service_definition" and root.find("service_code").text == first["service_code"]
    assert_error(c.get(f"{BASE}/services/no.such.code.json"), 404)
    assert_error(c.get(f"{BASE}/services/no.such.code.xml"), 404, "xml")
    group = first["service_code"].rsplit(".", 1)[0]  # a category, not a leaf type
    assert_error(c.get(f"{BASE}/services/{group}.json"), 404)
    for path in ("services.csv", "discovery.html", "requests.csv", f"services/{first['service_code']}.csv"):
        assert_error(c.get(f"{BASE}/{path}"), 404)


def test_filing_refuses_bad_keys_and_bad_input(api):
    c = api.client
    code = leaf_codes(api, 1)[0]
    good = {"api_key": api.key, "service_code": code, "description": "路灯不亮", "phone": PHONE}
    assert_error(c.post(f"{BASE}/requests.json", data={k: v for k, v in good.items() if k != "api_key"}), 403)
    assert_error(c.post(f"{BASE}/requests.json", data={**good, "api_key": "hk_wrong"}), 403)
    assert_error(c.post(f"{BASE}/requests.xml", data={**good, "api_key": "x" * 5000}), 403, "xml")
    assert_error(c.post(f"{BASE}/requests.json", data={**good, "service_code": "no.such"}), 400)
    assert_error(c.post(f"{BASE}/requests.json", data={k: v for k, v in good.items() if k != "service_code"}), 400)
    assert_error(c.post(f"{BASE}/requests.json", data={**good, "description": "", "phone": ""}), 400)
    assert_error(c.post(f"{BASE}/requests.json", data={**good, "description": "a\x00b"}), 400)
    assert_error(c.post(f"{BASE}/requests.json", data={**good, "description": "x" * 50000}), 400)
    assert_error(c.post(f"{BASE}/requests.json", data={**good, "lat": "north", "long": "116.4"}), 400)
    assert_error(c.post(f"{BASE}/requests.json", data={**good, "lat": "39.9"}), 400)
    for lat in ("٣٩.٩", "３９.９", "3_9", "nan", "1e1", "39.9.9"):
        assert_error(c.post(f"{BASE}/requests.json", data={**good, "lat": lat, "long": "116.4"}), 400)
    assert_error(c.post(f"{BASE}/requests.json", data={**good, "phone": "not a phone"}), 400)
    assert_error(c.post(f"{BASE}/requests.json", content=b"{not json", headers={"content-type": "application/json"}), 400)
    assert_error(c.post(f"{BASE}/requests.json", content=b"x" * 300_000,
                        headers={"content-type": "application/x-www-form-urlencoded"}), 413)
    assert_error(c.post(f"{BASE}/requests.csv", data=good), 404)
    assert ticket_count(api.db_url) == 0


def test_filed_request_is_a_ticket_the_consoles_see(api):
    c = api.client
    code = leaf_codes(api, 1)[0]
    r = c.post(f"{BASE}/requests.json", data={
        "api_key": api.key, "service_code": code, "description": "小区门口路灯不亮", "address_string": "朝阳路 1 号",
        "lat": "39.9042", "long": "116.4074", "first_name": "三丰", "last_name": "张", "phone": PHONE,
        "email": "someone@example.org"})
    assert r.status_code == 200, r.text
    [answer] = r.json()
    number = answer["service_request_id"]
    assert number and answer["service_notice"] and answer["account_id"] is None

    [req] = api.read(f"{BASE}/requests/{number}.json").json()
    assert req["service_request_id"] == number and req["status"] == "open"
    assert req["extended_attributes"] == {"status": "registered"}
    assert req["service_code"] == code and req["service_name"] and req["description"] == "小区门口路灯不亮"
    # Published at street level: no house number, no coordinates.
    assert req["address"] == "朝阳路" and req["requested_datetime"] and req["updated_datetime"]
    root = ET.fromstring(api.read(f"{BASE}/requests/{number}.xml").content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == number
    assert root.find("request/status").text == "open"
    assert root.find("request/extended_attributes/status").text == "registered"
    for text in (r.text, api.read(f"{BASE}/requests/{number}.json").text, api.read(f"{BASE}/requests/{number}.xml").text):
        assert PHONE not in text and "张" not in text and "三丰" not in text and "example.org" not in text
    assert_error(api.read(f"{BASE}/requests/20000101-999999.json"), 404)
    assert_error(api.read(f"{BASE}/requests/20000101-999999.xml"), 404, "xml")
    assert_error(api.read(f"{BASE}/requests/{'9' * 5000}.json"), 404)

    # The operators' consoles get it through the ordinary sync feed, with the caller's number.
    changes, _ = api.pull_all("op1")
    [ticket] = [ch["ticket"] for ch in changes if ch["kind"] == "ticket" and ch["ticket"]["number"] == number]
    assert ticket["caller_phone"] == PHONE and ticket["caller_name"] == "张 三丰"
    assert ticket["status"] == "registered" and ticket["operator"] == "open311:citizen-app"
    assert ticket["category_code"] == code and "39.904200, 116.407400" in ticket["incident_address"]
    assert any(ch["kind"] == "event" and ch["event"]["ticket_id"] == ticket["id"]
               and ch["event"]["action"] == "created" for ch in changes)

    # Tickets are filed synchronously: the token is the request id.
    assert api.read(f"{BASE}/tokens/{number}.json").json() == [{"service_request_id": number, "token": number}]
    root = ET.fromstring(api.read(f"{BASE}/tokens/{number}.xml").content)
    assert root.find("request/token").text == number
    assert_error(api.read(f"{BASE}/tokens/nope.json"), 404)

    # A JSON body works too, and XML answers in <service_requests><request>.
    r = c.post(f"{BASE}/requests.xml", json={"api_key": api.key, "service_code": code, "address_string": "西路 <2> & 3"})
    assert r.status_code == 200, r.text
    second = ET.fromstring(r.content).find("request/service_request_id").text
    assert second and second != number
    [req] = api.read(f"{BASE}/requests/{second}.json").json()
    assert req["address"] == "西路"
    assert ET.fromstring(api.read(f"{BASE}/requests/{second}.xml").content).find("request/address").text == "西路"


def test_listing_filters_and_never_shows_callers(api):
    c = api.client
    code_a, code_b = leaf_codes(api, 2)
    first = file(api, service_code=code_a, description="噪音扰民", phone=PHONE, first_name=NAME)
    second = file(api, service_code=code_b, description="垃圾满溢", phone=PHONE)
    # One ticket from a console, answered on the call and closed.
    ticket_id = api.create_ticket("op1", category_code=code_b, caller_name=NAME)
    api.push_ok("op1", ("ticket.transition", {"id": ticket_id, "action": "answer"}),
                ("ticket.transition", {"id": ticket_id, "action": "close"}))

    def ids(fmt="json", **params):
        r = api.read(f"{BASE}/requests.{fmt}", params=params)
        assert r.status_code == 200, r.text
        assert PHONE not in r.text and "13812345678" not in r.text and NAME not in r.text
        if fmt == "xml":
            return [e.text for e in ET.fromstring(r.content).findall("request/service_request_id")]
        return [req["service_request_id"] for req in r.json()]

    everything = ids()
    assert len(everything) == 3 and first in everything and second in everything
    assert sorted(ids("xml")) == sorted(everything)
    [closed] = ids(status="closed")
    assert closed not in (first, second)
    [closed_req] = api.read(f"{BASE}/requests.json", params={"status": "closed"}).json()
    assert closed_req["status"] == "closed" and closed_req["extended_attributes"] == {"status": "closed"}
    assert sorted(ids(status="open")) == sorted([first, second])
    assert ids(service_code=code_a) == [first]
    assert sorted(ids(service_code=f"{code_a},{code_b}")) == sorted(everything)
    assert sorted(ids(service_request_id=f"{first},{second}")) == sorted([first, second])
    assert len(ids(limit="1")) == 1
    now = datetime.now(timezone.utc)
    assert ids(start_date=(now + timedelta(hours=1)).isoformat()) == []
    assert ids(end_date=(now - timedelta(hours=1)).isoformat()) == []
    assert len(ids(start_date=(now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                   end_date=(now + timedelta(hours=1)).isoformat())) == 3
    assert ids(service_code="no.such") == []

    for params in ({"start_date": "yesterday"}, {"end_date": "2026-13-45"}, {"start_date": "9999-12-31T23:59:59-23:00"},
                   {"start_date": "2026-11-02", "end_date": "2026-11-01"}, {"status": "pending"},
                   {"limit": "0"}, {"limit": "5000"}, {"service_request_id": "a b"},
                   {"service_code": "x\x00y"}, {"service_code": "x" * 30_000}):
        assert_error(api.read(f"{BASE}/requests.json", params=params), 400)
    assert_error(api.read(f"{BASE}/requests.xml", params={"start_date": "yesterday"}), 400, "xml")
    assert_error(api.read(f"{BASE}/requests.json", params={"end_date": "0001-01-01T00:00:00+14:00"}), 400)


def test_reading_requests_needs_a_key_by_default(api):
    c = api.client
    number = file(api, service_code=leaf_codes(api, 1)[0], description="路灯不亮")
    for path in (f"requests.json", f"requests/{number}.json", f"tokens/{number}.json"):
        assert_error(c.get(f"{BASE}/{path}"), 403)
        assert_error(c.get(f"{BASE}/{path}", params={"api_key": "hk_wrong"}), 403)
        assert_error(c.get(f"{BASE}/{path}", headers={"X-API-Key": "x" * 5000}), 403)
        assert_error(c.get(f"{BASE}/{path[:-5]}.xml"), 403, "xml")
        # The key as Open311 clients send it (api_key in the query) or as a header.
        assert c.get(f"{BASE}/{path}", params={"api_key": api.key}).status_code == 200
        assert api.read(f"{BASE}/{path}").status_code == 200
    # Discovery and the services hold only the catalogue: public.
    assert c.get(f"{BASE}/discovery.json").status_code == 200
    assert c.get(f"{BASE}/services.json").status_code == 200
    # A disabled key reads nothing.
    from sqlalchemy import update

    with shared_engine(api.db_url).begin() as conn:
        conn.execute(update(schema.api_keys).values(disabled=True))
    assert_error(api.read(f"{BASE}/requests.json"), 403)


def test_a_city_can_make_reads_public(api, monkeypatch):
    monkeypatch.setenv("HOTLINE_OPEN311_PUBLIC_READS", "1")
    number = file(api, service_code=leaf_codes(api, 1)[0], description="路灯不亮")
    [req] = api.client.get(f"{BASE}/requests/{number}.json").json()
    assert req["service_request_id"] == number
    assert [r["service_request_id"] for r in api.client.get(f"{BASE}/requests.json").json()] == [number]
    # Filing still needs a key.
    assert_error(api.client.post(f"{BASE}/requests.json", data={"service_code": leaf_codes(api, 1)[0],
                                                                "description": "x"}), 403)


def test_published_descriptions_are_scrubbed_and_addresses_street_level(api):
    code = leaf_codes(api, 1)[0]
    said = {
        "call me 13811112222": "13811112222",
        "噪音扰民，我叫王小明，电话 138-1111-2222": "1111",
        "身份证110101199003071234，邮箱 wang@example.com": "110101199003071234",
        "联系 ０１０－８８８８６６６６ 或 QQ 12345678": "8888",
    }
    for description in said:
        api.create_ticket("op1", category_code=code, description=description,
                          incident_address="朝阳区建国路88号3号楼2单元501")
    api.create_ticket("op1", category_code=code, description="Street light out", incident_address="12 Main Street, Flat 3, Springfield")
    file(api, service_code=code, description="请回电 13911112222", address_string="海淀区中关村大街27号院5号楼")

    answers = [api.read(f"{BASE}/requests.{fmt}") for fmt in ("json", "xml")]
    for r in answers:
        assert r.status_code == 200, r.text
        for gone in [*said.values(), "13811112222", "13911112222", "王小明", "example.com", "88号", "501", "27号", "Flat"]:
            assert gone not in r.text
    requests = answers[0].json()
    assert len(requests) == 6
    assert {req["address"] for req in requests} == {"朝阳区建国路", "Main Street, Springfield", "海淀区中关村大街"}
    descriptions = {req["description"] for req in requests}
    assert "call me [电话]" in descriptions and "Street light out" in descriptions
    assert "请回电 [电话]" in descriptions
    for req in requests:
        [one] = api.read(f"{BASE}/requests/{req['service_request_id']}.json").json()
        assert one["description"] == req["description"] and one["address"] == req["address"]
    # The consoles still get what the caller said, word for word.
    changes, _ = api.pull_all("op1")
    texts = {ch["ticket"]["description"] for ch in changes if ch["kind"] == "ticket"}
    assert "call me 13811112222" in texts
