"""The upload's multipart body, parsed as it streams (python-multipart's parser fed from
`request.stream()`), so a file is never held whole nor spooled to disk.

Starlette's `request.form()` would keep a file part in a SpooledTemporaryFile, written to a
temporary file past 1 MB: plaintext of a court order or a psychological report on the disk.
Here the text fields are kept (small, bounded) and the file's bytes go to a `FileSink` the
moment they arrive, which encrypts them (app/documents/storage.py). The size limit is
enforced while reading: a 413 as soon as it is exceeded, the rest of the body never read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from app.errors import InvalidInput, TooLarge

FIELD_LIMIT = 4096  # bytes of one text field: a title, a date, an id
PARTS_LIMIT = 16
OVERHEAD = 64 * 1024  # what the body may carry beyond the file: boundaries, headers, fields


class FileSink(Protocol):
    """Where the file part's bytes go (the storage's encrypting writer)."""

    def begin(self, filename: str, content_type: str, fields: dict[str, str]) -> None: ...

    def feed(self, data: bytes) -> None: ...


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    content_type: str = ""
    value: bytearray = field(default_factory=bytearray)


def _invalid() -> InvalidInput:
    return InvalidInput("body", "document_form_invalid")


def boundary_of(content_type: str) -> bytes:
    media, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if media != b"multipart/form-data" or not boundary:
        raise _invalid()
    return boundary


@dataclass
class StreamedForm:
    """The text fields of the form, and whether it had its file."""

    fields: dict[str, str] = field(default_factory=dict)
    had_file: bool = False
    complete: bool = False  # the closing boundary was read (a cut body is refused)


async def parse_stream(
    stream: AsyncIterator[bytes],
    content_type: str,
    sink: FileSink,
    *,
    max_file: int,
    flush: Callable[[], Awaitable[None]],
) -> StreamedForm:
    """Read the body, feeding the one `file` part to `sink`; `flush` is awaited after each
    piece of the body (the sink's sealed chunks are written to the database there).

    422 `document_form_invalid` for a body that is not a form of text fields and one file;
    413 as soon as the file passes `max_file` bytes."""
    form = StreamedForm()
    parts: list[_Part] = []
    header: list[bytearray] = [bytearray(), bytearray()]
    headers: dict[str, str] = {}
    file_bytes = 0

    def on_part_begin() -> None:
        if len(parts) >= PARTS_LIMIT:
            raise _invalid()
        parts.append(_Part())
        headers.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header[0] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header[1] += data[start:end]

    def on_header_end() -> None:
        headers[header[0].decode("latin-1").lower()] = header[1].decode("latin-1")
        header[0].clear()
        header[1].clear()

    def on_headers_finished() -> None:
        part = parts[-1]
        disposition, options = parse_options_header(headers.get("content-disposition", ""))
        if disposition != b"form-data" or b"name" not in options:
            raise _invalid()
        part.name = options[b"name"].decode("utf-8", "replace")
        part.content_type = headers.get("content-type", "")
        if b"filename" in options:
            if part.name != "file" or form.had_file:
                raise _invalid()
            part.filename = options[b"filename"].decode("utf-8", "replace")
            form.had_file = True
            sink.begin(part.filename, part.content_type, dict(form.fields))
        elif part.name in form.fields or part.name == "file":
            raise _invalid()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        nonlocal file_bytes
        part = parts[-1]
        if part.filename is None:
            part.value += data[start:end]
            if len(part.value) > FIELD_LIMIT:
                raise _invalid()
            return
        file_bytes += end - start
        if file_bytes > max_file:
            raise TooLarge("file_too_large", limit_mb=max_file // (1024 * 1024))
        sink.feed(data[start:end])

    def on_part_end() -> None:
        part = parts[-1]
        if part.filename is None:
            try:
                value = part.value.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _invalid() from exc
            if "\x00" in value or "\x00" in part.name:  # the NUL guard's 422 (it skips us)
                where = "body" if "\x00" in part.name else f"body.{part.name}"
                raise InvalidInput(where, "string_nul_character")
            form.fields[part.name] = value

    def on_end() -> None:
        form.complete = True

    parser = MultipartParser(
        boundary_of(content_type),
        {
            "on_part_begin": on_part_begin,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_end": on_end,
        },
    )
    try:
        async for piece in stream:
            if piece:
                parser.write(piece)
                await flush()
        parser.finalize()
    except FormParserError as exc:
        raise _invalid() from exc
    if not form.complete:
        raise _invalid()
    return form
