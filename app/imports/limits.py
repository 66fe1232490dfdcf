"""What reading an import file may cost: uncompressed bytes, inflation ratio, rows, cells, time.

A file is read as a stream and these are counted while it is read, so a hostile file (an XLSX
that inflates to gigabytes, a CSV of millions of rows) is refused when it crosses a limit,
long before it could hold the memory of a worker. Both paths (the command line and the
upload, API or page) read with the limits of the settings (`CALP_IMPORT_MAX_*`).
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from app.config import Settings

CHUNK = 1 << 20
# Small members (styles, relationships) compress oddly; the ratio only matters for big ones.
RATIO_FROM_BYTES = 1 << 20


class FileUnreadable(ValueError):
    """The file is not a CSV or XLSX we can read (Spanish message)."""


class LimitExceeded(FileUnreadable):
    """The file crosses one of the import limits; `limit` names it in Spanish."""

    def __init__(self, limit: str) -> None:
        super().__init__(f"supera el límite de {limit}")
        self.limit = limit


@dataclass(frozen=True)
class ImportLimits:
    """The bounds of one file (both sheets together), from the settings."""

    max_bytes: int
    max_ratio: int
    max_rows: int
    max_cells: int
    max_seconds: float

    @classmethod
    def default(cls) -> ImportLimits:
        """The settings' defaults (tests and callers without settings)."""
        from app.config import Settings

        return cls.from_settings(Settings.model_construct())

    @classmethod
    def from_settings(cls, settings: Settings) -> ImportLimits:
        return cls(
            max_bytes=settings.import_max_mb * 2**20,
            max_ratio=settings.import_max_ratio,
            max_rows=settings.import_max_rows,
            max_cells=settings.import_max_cells,
            max_seconds=settings.import_max_seconds,
        )


@dataclass
class Budget:
    """What a file has cost so far; raises LimitExceeded when it crosses a limit."""

    limits: ImportLimits = field(default_factory=ImportLimits.default)
    bytes: int = 0
    lines: int = 0
    rows: int = 0
    cells: int = 0
    deadline: float = 0.0

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.limits.max_seconds

    def add_bytes(self, n: int) -> None:
        self.bytes += n
        if self.bytes > self.limits.max_bytes:
            raise LimitExceeded(f"{self.limits.max_bytes // 2**20} MB sin comprimir")
        self.check_time()

    def add_line(self, cells: int) -> None:
        """One line of a sheet (blank or not) and its cells, filled or empty."""
        self.lines += 1
        self.cells += cells
        if self.cells > self.limits.max_cells:
            raise LimitExceeded(f"{self.limits.max_cells} celdas")
        if self.lines % 256 == 0:
            self.check_time()

    def add_row(self) -> None:
        """One row of data (a line with at least one filled cell)."""
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise LimitExceeded(f"{self.limits.max_rows} filas")

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"{self.limits.max_seconds:g} segundos de lectura")


def check_zip(stream: IO[bytes], budget: Budget) -> None:
    """Inflate every member once, counting, before openpyxl reads any of it.

    A member's declared size and its actual inflated size are both checked (the declared one
    first, so a bomb is refused without inflating it), and so is its ratio of inflated to
    compressed bytes. openpyxl holds shared strings in memory; this bounds them too.
    """
    limits = budget.limits
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            declared = sum(m.file_size for m in members)
            if declared > limits.max_bytes - budget.bytes:
                raise LimitExceeded(f"{limits.max_bytes // 2**20} MB sin comprimir")
            for member in members:
                _inflate(archive, member, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise FileUnreadable("el archivo no es un libro XLSX válido") from exc
    finally:
        stream.seek(0)


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: Budget) -> None:
    ratio = budget.limits.max_ratio
    compressed = max(member.compress_size, 1)
    if member.file_size > RATIO_FROM_BYTES and member.file_size > ratio * compressed:
        raise LimitExceeded(f"compresión {ratio}:1")
    inflated = 0
    with archive.open(member) as fh:
        while chunk := fh.read(CHUNK):
            inflated += len(chunk)
            budget.add_bytes(len(chunk))
            if inflated > RATIO_FROM_BYTES and inflated > ratio * compressed:
                raise LimitExceeded(f"compresión {ratio}:1")
