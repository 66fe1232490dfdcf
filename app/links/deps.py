"""The link a JSON route names in its path (`link_id`), found for the caller."""

from __future__ import annotations

from typing import Annotated

from app.links.models import VictimLink
from app.links.service import LINKS
from app.work.api import writable

WritableLink = Annotated[VictimLink, writable(LINKS, "link_id")]
