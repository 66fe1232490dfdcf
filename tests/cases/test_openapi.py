"""Every case-work endpoint is in /openapi.json with request and response examples."""

from __future__ import annotations

PREFIXES = ("/api/v1/cases", "/api/v1/victims", "/api/v1/audit")
OWN = {
    "",
    "/{case_id}",
    "/{case_id}/close",
    "/{case_id}/reopen",
    "/{case_id}/restore",
    "/{case_id}/history",
    "/{case_id}/victims",
    "/search",
    "/{victim_id}",
    "/{victim_id}/restore",
    "/{victim_id}/history",
}


def _has_examples(doc, schema):
    ref = schema.get("$ref")
    target = doc["components"]["schemas"][ref.split("/")[-1]] if ref else schema
    return bool(target.get("examples"))


def test_every_endpoint_has_request_and_response_examples(client):
    doc = client.get("/openapi.json").json()
    checked = 0
    for path, ops in doc["paths"].items():
        prefix = next((p for p in PREFIXES if path.startswith(p)), None)
        if prefix is None or path.removeprefix(prefix) not in OWN:
            continue
        for method, op in ops.items():
            assert op.get("description") or op.get("summary"), (method, path)
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                assert _has_examples(doc, body["schema"]), ("request", method, path)
            for param in op.get("parameters", []):
                if param["name"] in ("version", "q", "year", "user", "record", "from", "to"):
                    assert param.get("examples") or param["schema"].get("examples"), param
            success = next(code for code in op["responses"] if code.startswith("2"))
            content = op["responses"][success].get("content", {}).get("application/json")
            if success != "204":
                assert content and _has_examples(doc, content["schema"]), (method, path)
            checked += 1
    assert checked == 18
