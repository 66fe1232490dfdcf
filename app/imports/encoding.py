"""Which encoding a CSV is read in: never a silent guess.

UTF-8 (with or without BOM) is the rule. Latin-1 or Windows-1252 is used when the person
declares it, or when it is clear: the file is not UTF-8, holds not one valid UTF-8 multi-byte
sequence, and every byte is a Windows-1252 character. A file that is UTF-8 but for a stray
byte is refused naming its line: reading it all as Latin-1 would store "Muñoz" as "MuÃ±oz".
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import IO

from app.imports.limits import CHUNK, Budget, FileUnreadable

# Codec names Python accepts for each encoding CALP reads, and their names in reports.
CODECS = {"utf-8": "UTF-8", "iso8859-1": "Latin-1 (ISO-8859-1)", "cp1252": "Windows-1252"}
CHOICES = {"utf-8": "utf-8", "latin-1": "iso8859-1", "cp1252": "cp1252"}
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that are not UTF-8, under surrogateescape
_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")
_CP1252_HOLES = re.compile(b"[\x81\x8d\x8f\x90\x9d]")  # bytes Windows-1252 leaves undefined


@dataclass(frozen=True)
class Encoding:
    codec: str  # what Python decodes with ("utf-8-sig" drops a BOM)
    name: str  # the encoding's name in reports
    detected: bool  # chosen by CALP rather than declared

    def describe(self) -> str:
        """Spanish, for the dry run's report: which encoding and why."""
        return f"{self.name} ({'detectada' if self.detected else 'indicada'})"


@dataclass
class _Scan:
    bad_line: int | None = None  # first line that is not UTF-8
    multibyte: bool = False  # some valid UTF-8 multi-byte sequence was seen
    cp1252_line: int | None = None  # first line with a byte Windows-1252 does not define


def codec_name(declared: str) -> str:
    """The codec of a declared encoding, or FileUnreadable naming the ones accepted."""
    try:
        name = codecs.lookup(declared.strip()).name
    except LookupError:
        name = ""
    name = "utf-8" if name == "utf-8-sig" else name
    if name not in CODECS:
        raise FileUnreadable(
            "codificación no admitida (se admiten " + ", ".join(CHOICES) + ")"
        ) from None
    return name


def _scan(stream: IO[bytes], budget: Budget) -> _Scan:
    scan = _Scan()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    lines = text_lines = 1
    while chunk := stream.read(CHUNK):
        budget.add_bytes(len(chunk))
        text = decoder.decode(chunk)
        if scan.bad_line is None and (bad := _ESCAPED.search(text)):
            scan.bad_line = text_lines + text.count("\n", 0, bad.start())
        if not scan.multibyte and _MULTIBYTE.search(text):
            scan.multibyte = True
        if scan.cp1252_line is None and (hole := _CP1252_HOLES.search(chunk)):
            scan.cp1252_line = lines + chunk.count(b"\n", 0, hole.start())
        lines += chunk.count(b"\n")
        text_lines += text.count("\n")
    if scan.bad_line is None and _ESCAPED.search(decoder.decode(b"", final=True)):
        scan.bad_line = text_lines  # the file ends inside a multi-byte sequence
    stream.seek(0)
    return scan


def choose_encoding(stream: IO[bytes], declared: str | None, budget: Budget) -> Encoding:
    """Read the stream once (counted against the budget) and say how to decode it."""
    scan = _scan(stream, budget)
    if declared:
        codec = codec_name(declared)
        # Latin-1 gives every byte a character: only UTF-8 and Windows-1252 can be wrong.
        line = {"utf-8": scan.bad_line, "cp1252": scan.cp1252_line}.get(codec)
        if line is not None:
            raise FileUnreadable(f"la línea {line} no es texto {CODECS[codec]} válido")
        return Encoding("utf-8-sig" if codec == "utf-8" else codec, CODECS[codec], False)
    if scan.bad_line is None:
        return Encoding("utf-8-sig", CODECS["utf-8"], True)
    if not scan.multibyte and scan.cp1252_line is None:
        return Encoding("cp1252", CODECS["cp1252"], True)
    raise FileUnreadable(
        f"la línea {scan.bad_line} no es texto UTF-8 válido (guarde el archivo como "
        "CSV UTF-8, o indique su codificación si todo el archivo está en Latin-1)"
    )
