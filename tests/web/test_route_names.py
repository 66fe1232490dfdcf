"""Every route name the pages use resolves, and each role's menu and home page lead only to
pages that role can open. A typo in a `path_for(...)`, a `redirect_to(...)` or a menu entry
fails here, instead of hiding a link or breaking a page at the moment someone clicks it."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from jinja2 import Environment, nodes
from starlette.routing import BaseRoute, NoMatchFound

from app.catalogs import Role
from app.templating import TEMPLATES_DIR
from tests.factories import make_user

APP_DIR = Path(__file__).resolve().parents[2] / "app"
# Calls that take a route name, and the position of the name among their arguments.
NAME_ARG = {"path_for": 0, "url_for": 0, "url_path_for": 0, "redirect_to": 1}
NOT_PARAMS = {"redirect_to": {"notice"}}
ROUTE_NAME = re.compile(r"^[a-z_]+(:[a-z_]+)+$")


@dataclass(frozen=True)
class Use:
    where: str
    name: str
    params: frozenset[str] | None  # None: given as **kwargs, only the name can be checked


def template_uses(source: str, where: str) -> list[Use]:
    """`path_for('x:y', a=...)` / `url_for(...)` calls of one template; a name that is not a
    literal is reported as such (it could not be checked)."""
    uses = []
    for call in Environment().parse(source).find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name) or call.node.name not in NAME_ARG:
            continue
        first = call.args[0] if call.args else None
        name = first.value if isinstance(first, nodes.Const) else "<not a literal>"
        params = None if call.dyn_kwargs else frozenset(k.key for k in call.kwargs)
        uses.append(Use(f"{where}:{call.lineno}", str(name), params))
    return uses


def python_uses(source: str, where: str) -> list[Use]:
    """Literal route names in Python: the name argument of the calls above, and in page
    modules any string shaped like a namespaced route name ("victims:records")."""
    uses = []
    seen: set[int] = set()  # the constants already taken as a call's name
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if called not in NAME_ARG or len(node.args) <= NAME_ARG[called]:
            continue
        arg = node.args[NAME_ARG[called]]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            kwargs = [k.arg for k in node.keywords]
            named = {k for k in kwargs if k is not None} - NOT_PARAMS.get(called, set())
            params = None if None in kwargs else frozenset(named)
            uses.append(Use(f"{where}:{node.lineno}", arg.value, params))
            seen.add(id(arg))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in seen
            and ROUTE_NAME.match(node.value)
        ):
            uses.append(Use(f"{where}:{node.lineno}", node.value, None))
    return uses


def _is_page_module(path: Path) -> bool:
    parts = path.relative_to(APP_DIR).parts
    return "web" in parts[:-1] or path.stem == "web" or path.stem.endswith("_web")


def all_uses() -> list[Use]:
    uses = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        uses += template_uses(path.read_text(), str(path.relative_to(TEMPLATES_DIR)))
    for path in sorted(APP_DIR.rglob("*.py")):
        found = python_uses(path.read_text(), str(path.relative_to(APP_DIR.parent)))
        if not _is_page_module(path):  # elsewhere "a:b" strings are not route names
            found = [u for u in found if u.params is not None]
        uses += found
    return uses


def route_names(routes: Sequence[BaseRoute]) -> set[str]:
    """Names of the routes, those of included routers too."""
    names = set()
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            names |= route_names(included.routes)
        elif isinstance(getattr(route, "name", None), str):
            names.add(route.name)  # type: ignore[attr-defined]
    return names


def unresolved(app: FastAPI, uses: list[Use]) -> list[str]:
    """The uses whose name (and, when known, exact set of path parameters) match no route."""
    names = route_names(app.routes)
    assert "home" in names and "victims:records" in names
    bad = []
    for use in uses:
        if use.name not in names:
            bad.append(f"{use.where}: no route named {use.name!r}")
            continue
        if use.params is None:
            continue
        try:
            app.url_path_for(use.name, **dict.fromkeys(use.params, "x"))
        except NoMatchFound:
            bad.append(f"{use.where}: {use.name!r} takes other parameters than {set(use.params)}")
    return bad


class TestRouteNames:
    def test_every_name_in_templates_and_python_resolves(self, app):
        uses = all_uses()
        assert len({u.name for u in uses}) > 60  # the scan really finds the pages' names
        assert unresolved(app, uses) == []

    def test_a_typo_or_a_wrong_parameter_is_caught(self, app):
        source = (
            "{{ path_for('cases:detial', case_id=c.id) }}"
            "{{ path_for('cases:detail', id=c.id) }}"
            "{{ path_for(name) }}"
            "{{ path_for('cases:detail', case_id=c.id) }}"
        )
        bad = unresolved(app, template_uses(source, "t.html"))
        assert len(bad) == 3
        assert "'cases:detial'" in bad[0] and "'cases:detail'" in bad[1]
        assert "'<not a literal>'" in bad[2]
        python = (
            'redirect_to(request, "victims:detial", notice="creado", victim_id=v)\n'
            'redirect_to(request, "victims:detail", notice="creado", victim=v)\n'
            'redirect_to(request, "victims:detail", notice="creado", victim_id=v)\n'
            'request.app.url_path_for("acount")\n'
            'BACK = "victims:recods"\n'
        )
        bad = unresolved(app, python_uses(python, "m.py"))
        assert [b.split(":")[1] for b in bad] == ["1", "2", "4", "5"], bad


def _menu(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="nav".*?</nav>', html, re.S)
    assert nav, "no menu"
    links = re.findall(r'href="([^"]+)">([^<]+)<', nav[0])
    return {label.strip(): href for href, label in links}


def _main_links(html: str) -> set[str]:
    main = re.search(r"<main.*?</main>", html, re.S)
    assert main, "no main"
    return set(re.findall(r'href="(/[^"?#]*)', main[0]))


MENU = {
    Role.psychologist: [
        "Inicio",
        "Casos",
        "Buscar persona",
        "Agenda",
        "Traslados",
        "Rutas",
        "Mi cuenta",
    ],
    Role.lawyer: ["Inicio", "Casos", "Buscar persona", "Agenda", "Traslados", "Rutas", "Mi cuenta"],
    Role.social_worker: [
        "Inicio",
        "Casos",
        "Buscar persona",
        "Agenda",
        "Traslados",
        "Rutas",
        "Mi cuenta",
    ],
    Role.coordinator: [
        "Inicio",
        "Casos",
        "Buscar persona",
        "Agenda",
        "Traslados",
        "Estadísticas",
        "Rutas",
        "Importar",
        "Registros eliminados",
        "Excepciones de consentimiento",
        "Mi cuenta",
    ],
    Role.admin: ["Inicio", "Estadísticas", "Rutas", "Usuarios", "Tokens", "Mi cuenta"],
    Role.visualiser: ["Inicio", "Mi cuenta"],
}


class TestMenuAndHome:
    @pytest.mark.parametrize("role", list(Role))
    def test_menu_and_home_lead_to_pages_the_role_can_open(self, db, login_as, role):
        client = login_as(make_user(db, role=role))
        home = client.get("/")
        assert home.status_code == 200
        menu = _menu(home.text)
        assert list(menu) == MENU[role]
        for path in set(menu.values()) | _main_links(home.text):
            assert client.get(path).status_code == 200, path
