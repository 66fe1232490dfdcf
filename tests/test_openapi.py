"""The contract is documented: every /api operation in /openapi.json with examples."""

from __future__ import annotations

from typing import Any


def _has_example(doc: dict[str, Any], media: dict[str, Any]) -> bool:
    if media.get("example") is not None or media.get("examples"):
        return True
    schema = media.get("schema", {})
    for candidate in [schema, *schema.get("anyOf", []), *schema.get("allOf", [])]:
        ref = candidate.get("$ref")
        target = doc["components"]["schemas"][ref.split("/")[-1]] if ref else candidate
        if target.get("examples") or target.get("example") is not None:
            return True
    return False


def test_every_api_operation_is_described_with_request_and_response_examples(client) -> None:
    doc = client.get("/openapi.json").json()
    missing: list[str] = []
    operations = 0
    for path, ops in doc["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in ops.items():
            operations += 1
            where = f"{method.upper()} {path}"
            if not (op.get("description") or op.get("summary")):
                missing.append(f"{where}: no description")
            body = op.get("requestBody", {}).get("content", {})
            for media_type, media in body.items():
                if not _has_example(doc, media):
                    missing.append(f"{where}: request {media_type} without example")
            success = [c for c in op["responses"] if c.startswith("2")]
            assert success, f"{where}: no success response"
            for media_type, media in op["responses"][success[0]].get("content", {}).items():
                if media_type == "application/json" and not _has_example(doc, media):
                    missing.append(f"{where}: response without example")
    assert operations > 60
    assert not missing, "\n".join(missing)
