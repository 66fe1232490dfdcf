"""Errors of the victim links domain."""

from __future__ import annotations

from app.errors import Conflict, NotFound


class LinkNotFound(NotFound):
    code = "link_not_found"


class LinkExists(Conflict):
    code = "link_exists"
