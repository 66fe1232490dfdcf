"""Issue 17 (9a, 9d): the two-factor QR code drawn on the server; compressed pages whose
CSRF tokens change with every response."""

from __future__ import annotations

import html
import re

import segno

from app.catalogs import Role
from tests.factories import make_case, make_user
from tests.web.helpers import csrf, csrf_from, post_form, sign_in


class TestTwoFactorQr:
    def test_enrolment_shows_the_link_as_an_inline_svg_qr_code(self, client, db):
        user = make_user(db, role=Role.coordinator)
        assert sign_in(client, user.username).status_code == 303
        page = post_form(client, "/cuenta/2fa", "/cuenta/2fa", {"action": "start"})
        assert page.status_code == 200
        svg = re.search(r"<svg[^>]*>.*?</svg>", page.text, re.S)
        assert svg, "no QR code on the page"
        uri = html.unescape(re.search(r'<p class="secret">(otpauth://[^<]+)</p>', page.text)[1])
        expected = segno.make(uri, error="m").svg_inline(
            scale=5, border=4, title="Código QR de la clave", omitsize=True
        )
        assert svg.group(0) == expected  # the code is the enrolment link, nothing else
        assert "http" not in svg.group(0)
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", page.text)  # no CDN, no inline


class TestCompression:
    def test_pages_are_gzipped_and_the_new_victim_form_is_small(self, client, db):
        user = make_user(db, role=Role.lawyer)
        case = make_case(db)
        assert sign_in(client, user.username).status_code == 303
        path = f"/casos/{case.id}/victimas/nueva"
        raw = client.get(path, headers={"Accept-Encoding": "identity"})
        assert raw.status_code == 200 and "content-encoding" not in raw.headers
        with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as resp:
            assert resp.headers["content-encoding"] == "gzip"
            wire = b"".join(resp.iter_raw())
        print(f"new-victim form: {len(raw.content)} bytes raw, {len(wire)} gzipped")
        assert len(wire) <= 25 * 1024, f"{len(wire)} bytes on the wire"
        assert len(wire) < len(raw.content) / 3

    def test_csrf_tokens_differ_in_every_response_and_all_of_them_work(self, client, db):
        user = make_user(db, role=Role.lawyer)
        assert sign_in(client, user.username).status_code == 303
        first, second = csrf(client, "/cuenta"), csrf(client, "/cuenta")
        assert first != second  # masked with a new pad each time (BREACH)
        for token in (first, second):
            resp = client.post(
                "/cuenta/clave",
                data={"csrf_token": token, "current": "x", "new": "y", "repeat": "y"},
            )
            assert resp.status_code == 422  # past the CSRF check, refused on its fields

    def test_a_forged_or_tampered_token_is_refused(self, client, db):
        user = make_user(db, role=Role.lawyer)
        assert sign_in(client, user.username).status_code == 303
        token = csrf(client, "/cuenta")
        tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
        for bad in (tampered, "x" * len(token), "", "%%%"):
            resp = client.post("/cuenta/clave", data={"csrf_token": bad, "current": "x"})
            assert resp.status_code == 403, bad

    def test_one_page_holds_several_different_tokens(self, client, db):
        user = make_user(db, role=Role.lawyer)
        assert sign_in(client, user.username).status_code == 303
        page = client.get("/cuenta").text
        tokens = re.findall(r'name="csrf_token" value="([^"]+)"', page)
        assert len(tokens) >= 2 and len(set(tokens)) == len(tokens)
        assert csrf_from(page) == tokens[0]
