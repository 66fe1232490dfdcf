"""One error vocabulary: every code raised in app/ has a Spanish text, every text is used."""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import pytest
from pydantic import BaseModel, Field, ValidationError
from pydantic_core.core_schema import ErrorType

from app.error_texts import ERROR_TEXTS, PYDANTIC_TEXTS, ErrorCode, error_text
from app.errors import AppError, InvalidInput
from app.main import ROUTER_MODULES
from tests.factories import make_user

APP = Path(__file__).resolve().parent.parent / "app"
TEXTS_MODULE = APP / "error_texts.py"
# Calls whose argument at this position (or keyword) is a code.
CODE_ARGS = {
    "InvalidInput": (1, "code"),
    "add": (1, "code"),
    "not_before": (3, "code"),
    "past_date": (None, "not_before_code"),
    "ensure_past_date": (None, "not_before_code"),
    "rule_error": (0, "code"),
    "PydanticCustomError": (0, "error_type"),
    "problem": (1, "code"),
}


@dataclass(frozen=True)
class Use:
    where: str
    code: object  # a str for a literal code, anything else is a finding
    kwargs: frozenset[str]


def _trees() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(), str(p))) for p in sorted(APP.rglob("*.py"))]


def _error_classes(trees: list[tuple[Path, ast.Module]]) -> set[str]:
    """Names of AppError and its subclasses, followed through every module of app/."""
    bases: dict[str, set[str]] = {}
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
                bases.setdefault(node.name, set()).update(names)
    found = {"AppError"}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def _raised_codes() -> list[Use]:
    """Every code given where an error is raised or a field problem is added, and every
    class-level `code = ...` of an error class."""
    trees = _trees()
    errors = _error_classes(trees)
    uses: list[Use] = []
    for path, tree in trees:
        rel = path.relative_to(APP.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in errors:
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign):
                        targets, value = stmt.targets, stmt.value
                    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                        targets, value = [stmt.target], stmt.value
                    else:
                        continue
                    if any(isinstance(t, ast.Name) and t.id == "code" for t in targets):
                        code = (
                            value.value if isinstance(value, ast.Constant) else ast.unparse(value)
                        )
                        uses.append(Use(f"{rel}:{stmt.lineno}", code, frozenset()))
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            position: int | None
            if name in errors and name not in CODE_ARGS:
                if name in ("RateLimited", "ImportRejected"):  # their argument is no code
                    continue
                position, keyword = 0, "code"
            elif name in CODE_ARGS:
                position, keyword = CODE_ARGS[name]
            else:
                continue
            if name == "InvalidInput" and isinstance(func, ast.Attribute):
                continue  # InvalidInput.of(...) takes (field, code) pairs built elsewhere
            arg: ast.expr | None = None
            if position is not None and len(node.args) > position:
                arg = node.args[position]
            for kw in node.keywords:
                if kw.arg == keyword:
                    arg = kw.value
            if arg is None:
                continue  # the class default code
            kwargs = frozenset(kw.arg for kw in node.keywords if kw.arg)
            where = f"{rel}:{node.lineno}"
            if isinstance(arg, ast.Constant):
                uses.append(Use(where, arg.value, kwargs))
            elif isinstance(arg, ast.JoinedStr | ast.BinOp):
                uses.append(Use(where, ast.unparse(arg), kwargs))  # free text, never a code
            # A name passes a code typed ErrorCode along (mypy checks it).
    return uses


def test_the_code_type_and_the_text_map_list_the_same_codes() -> None:
    assert sorted(get_args(ErrorCode)) == sorted(ERROR_TEXTS)
    assert len(get_args(ErrorCode)) == len(set(get_args(ErrorCode)))


def test_every_code_raised_in_app_has_a_text() -> None:
    uses = _raised_codes()
    assert len(uses) > 80, "the scan found too few raises to be looking at the right calls"
    unknown = [f"{u.where}: {u.code!r}" for u in uses if u.code not in ERROR_TEXTS]
    assert not unknown, "codes without a text (or free text where a code belongs):\n" + "\n".join(
        unknown
    )
    for code in ("cursor_invalid", "date_in_future", "not_in_team", "consent_already_revoked"):
        assert code in {u.code for u in uses}


def test_every_placeholder_of_a_raised_code_is_given() -> None:
    missing = []
    for use in _raised_codes():
        text = ERROR_TEXTS.get(use.code, "") if isinstance(use.code, str) else ""  # type: ignore[call-overload]
        wanted = set(re.findall(r"\{(\w+)\}", text))
        if wanted - use.kwargs:
            missing.append(f"{use.where}: {use.code} needs {sorted(wanted - use.kwargs)}")
    assert not missing, "\n".join(missing)


def test_every_text_is_used_somewhere_in_app() -> None:
    literals: set[str] = set()
    for path, tree in _trees():
        if path == TEXTS_MODULE:
            continue
        literals |= {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
    unused = sorted(set(ERROR_TEXTS) - literals)
    assert not unused, f"texts no code in app/ uses: {unused}"


def _subclasses(cls: type[AppError]) -> set[type[AppError]]:
    out = set(cls.__subclasses__())
    for sub in list(out):
        out |= _subclasses(sub)
    return out


def test_every_error_class_default_code_has_a_text() -> None:
    for spec in ROUTER_MODULES:  # the routers import every domain's services and errors
        importlib.import_module(spec.split(":")[0])
    classes = _subclasses(AppError) | {AppError}
    assert len(classes) > 25
    for cls in classes:
        assert cls.code in ERROR_TEXTS, cls


def test_pydantic_texts_name_real_pydantic_error_types_and_never_an_app_code() -> None:
    real = set(get_args(ErrorType))
    assert set(PYDANTIC_TEXTS) <= real, set(PYDANTIC_TEXTS) - real
    assert not set(PYDANTIC_TEXTS) & set(ERROR_TEXTS)


class _Form(BaseModel):
    name: str = Field(max_length=5)
    items: list[int] = Field(min_length=2)
    age: int = Field(ge=0, le=120)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"name": "abcdefg", "items": [1, 2], "age": 3}, "máximo 5 caracteres"),
        ({"name": "a", "items": [1], "age": 3}, "al menos 2 elemento"),
        ({"name": "a", "items": [1, 2], "age": 121}, "mayor que 120"),
        ({"name": "a", "items": [1, 2], "age": "x"}, "número entero"),
        ({"items": [1, 2], "age": 3}, "obligatorio"),
    ],
)
def test_pydantic_errors_read_in_spanish_with_their_limits(data, expected) -> None:
    with pytest.raises(ValidationError) as info:
        _Form.model_validate(data)
    err = info.value.errors()[0]
    text = error_text(err["type"], err.get("ctx"))
    assert expected in text and "{" not in text


def test_an_unknown_type_reads_as_a_generic_spanish_text() -> None:
    assert error_text("no_such_type") == PYDANTIC_TEXTS["value_error"]


def test_an_error_carries_its_code_and_its_text() -> None:
    err = InvalidInput("goals.0.id", "goal_not_in_plan")
    assert err.code == "goal_not_in_plan" and str(err) == "goal_not_in_plan"
    assert err.detail == [
        {
            "loc": ["goals", "0", "id"],
            "msg": ERROR_TEXTS["goal_not_in_plan"],
            "type": "goal_not_in_plan",
        }
    ]
    several = InvalidInput.of([("a", "required"), ("b", "date_in_future")])
    assert several.code == "required" and [d["type"] for d in several.detail] == [
        "required",
        "date_in_future",
    ]


class TestApiBodies:
    def test_a_service_rule_answers_its_code_and_spanish_texts(self, db, login_as) -> None:
        resp = login_as(make_user(db)).get("/api/v1/cases", params={"cursor": "not-a-cursor"})
        assert resp.status_code == 422
        body = resp.json()
        assert body["error"] == "validation_error" and body["code"] == "cursor_invalid"
        assert body["detail"] == [
            {"loc": ["cursor"], "msg": ERROR_TEXTS["cursor_invalid"], "type": "cursor_invalid"}
        ]

    def test_a_schema_error_answers_pydantic_type_and_spanish_text(self, db, login_as) -> None:
        resp = login_as(make_user(db)).get("/api/v1/cases", params={"limit": "many"})
        assert resp.status_code == 422
        body = resp.json()
        assert body["code"] == "int_parsing"
        assert body["detail"][0]["msg"] == PYDANTIC_TEXTS["int_parsing"]

    def test_other_errors_answer_their_code_with_the_spanish_text(self, db, login_as) -> None:
        client = login_as(make_user(db))
        resp = client.get("/api/v1/cases/0b6f6a52-6d0e-4b8e-9a0c-3f7d2a1c9e41")
        assert resp.status_code == 404
        assert resp.json() == {
            "error": "not_found",
            "code": "case_not_found",
            "detail": ERROR_TEXTS["case_not_found"],
        }
        unmatched = client.get("/api/v1/no-such-thing")
        assert unmatched.status_code == 404 and unmatched.json()["code"] == "not_found"
        assert unmatched.json()["detail"] == ERROR_TEXTS["not_found"]
