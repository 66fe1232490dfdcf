"""The consent a JSON route names in its path (`consent_id`), found for the caller."""

from __future__ import annotations

from typing import Annotated

from app.consents.models import Consent
from app.consents.service import CONSENTS
from app.work.api import writable

WritableConsent = Annotated[Consent, writable(CONSENTS, "consent_id")]
