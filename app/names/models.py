"""Name tokens: keyed one-way tokens of each victim's name words (app/names/tokens.py)."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, ForeignKey, Index, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class NameToken(Base):
    """One token of one victim's name; nothing here can be read back as a name.

    The primary key (token, victim) is what a search walks: the rows of the searched
    tokens side by side (on SQLite the table is that key itself, WITHOUT ROWID); the index
    on the victim is what replacing or removing a victim's tokens uses.
    """

    __tablename__ = "name_tokens"
    __table_args__ = (
        Index("ix_name_tokens_victim_id", "victim_id"),
        {"sqlite_with_rowid": False},
    )

    token: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    victim_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("victims.id", ondelete="CASCADE"), primary_key=True
    )
    # app.names.tokens.WORD (a word of the name) or JOINED (a compound run together).
    kind: Mapped[int] = mapped_column(SmallInteger)
