"""The victim a JSON route names in its path (`victim_id`), found for the caller.

Every domain whose records hang from a victim takes its victim from here.
"""

from __future__ import annotations

from typing import Annotated

from app.victims.models import Victim
from app.victims.service import VICTIMS
from app.work.api import restorable, visible, writable

VisibleVictim = Annotated[Victim, visible(VICTIMS, "victim_id")]
WritableVictim = Annotated[Victim, writable(VICTIMS, "victim_id")]
RestorableVictim = Annotated[Victim, restorable(VICTIMS, "victim_id")]
