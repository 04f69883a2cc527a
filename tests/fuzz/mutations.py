"""Ways to damage a (synthetic) sample PDF: byte edits, and structure-aware edits made with pikepdf.

Every mutation is a function `(data, rng) -> bytes` of the seed file's bytes and a seeded
`random.Random`, so a mutated file is rebuilt exactly from (seed file, mutation, seed).
"""

from __future__ import annotations

import bisect
import io
import random
import re
from collections.abc import Callable

import pikepdf

Mutation = Callable[[bytes, random.Random], bytes]


# --- byte edits ---------------------------------------------------------------------------------


def _with_eof(data: bytes) -> bytes:
    # Without %%EOF near the end a file is refused as truncated before the parser sees it; put one
    # back so that the damage reaches the parser.
    return data if b"%%EOF" in data[-2048:] else data + b"\n%%EOF\n"


#: A PDF string literal as a plain (uncompressed) content stream prints it: `(1,180) Tj`.
_STRING_LITERAL = re.compile(rb"\((?:\\.|[^\\()])*\)")


def _outside_strings(data: bytes, rng: random.Random) -> int:
    """A random position not inside a string literal.

    Changing the characters of a printed string ("1,180" to "-1,180") is a different report, not
    damage: no reader can tell it from the real thing, so the harness leaves printed text alone
    (in compressed streams the edits hit zlib data, which is damage).
    """
    spans = [m.span() for m in _STRING_LITERAL.finditer(data)]
    starts = [start for start, _ in spans]
    for _ in range(50):
        position = rng.randrange(len(data))
        index = bisect.bisect_right(starts, position) - 1
        if index < 0 or not (spans[index][0] <= position < spans[index][1]):
            return position
    return rng.randrange(len(data))


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 16, 64))):
        position = _outside_strings(data, rng)
        buffer[position] ^= 1 << rng.randrange(8)
    return bytes(buffer)


def set_random_bytes(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    start = _outside_strings(data, rng)
    for position in range(start, min(len(buffer), start + rng.choice((1, 4, 32, 256)))):
        buffer[position] = rng.randrange(256)
    return bytes(buffer)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return _with_eof(data[: rng.randrange(16, len(data))])


def delete_range(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    length = rng.choice((1, 8, 64, 512, 4096))
    return data[:start] + data[start + length :]


def duplicate_range(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    length = rng.choice((1, 8, 64, 512, 4096))
    return data[: start + length] + data[start : start + length] + data[start + length :]


def swap_numbers(data: bytes, rng: random.Random) -> bytes:
    """Replace one number token outside printed strings (in a plain seed: an operand) with something else."""
    strings = [m.span() for m in _STRING_LITERAL.finditer(data)]
    starts = [start for start, _ in strings]

    def printed(position: int) -> bool:
        index = bisect.bisect_right(starts, position) - 1
        return index >= 0 and strings[index][0] <= position < strings[index][1]

    numbers = [m for m in re.finditer(rb"(?<![\w.])-?\d+(\.\d+)?(?![\w.])", data) if not printed(m.start())]
    if not numbers:
        return flip_bytes(data, rng)
    found = rng.choice(numbers)
    replacement = rng.choice((b"0", b"-1", b"99999999", b"1e9", b"()", b"/X", b"[", b"nan"))
    return data[: found.start()] + replacement + data[found.end() :]


def drop_operator(data: bytes, rng: random.Random) -> bytes:
    """Delete one text/graphics operator word (Tm, Td, TJ, Tf, re, cm, BT, ET, q, Q)."""
    operators = list(re.finditer(rb"(?<=\s)(Tm|Td|TD|TJ|Tj|Tf|re|cm|BT|ET|q|Q)(?=\s)", data))
    if not operators:
        return flip_bytes(data, rng)
    found = rng.choice(operators)
    return data[: found.start()] + data[found.end() :]


# --- structure-aware edits (pikepdf) ------------------------------------------------------------


def _edit(data: bytes, rng: random.Random, change: Callable[[pikepdf.Pdf, random.Random], None]) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf, rng)
        out = io.BytesIO()
        pdf.save(out, compress_streams=rng.random() < 0.5, fix_metadata_version=False)
        return out.getvalue()


def _page(pdf: pikepdf.Pdf, rng: random.Random) -> pikepdf.Page:
    return pdf.pages[rng.randrange(len(pdf.pages))]


def delete_object(data: bytes, rng: random.Random) -> bytes:
    """Blank one object's body to `null` (padded, so the xref offsets still hold): a deleted object."""
    found = list(re.finditer(rb"\d+ \d+ obj\b(.*?)endobj", data, re.S))
    if not found:
        return delete_range(data, rng)
    body = rng.choice(found).span(1)
    length = body[1] - body[0]
    return data[: body[0]] + b" null".ljust(length)[:length] + data[body[1] :]


def huge_count(data: bytes, rng: random.Random) -> bytes:
    def change(pdf: pikepdf.Pdf, rng: random.Random) -> None:
        pdf.Root.Pages.Count = rng.choice((10**9, 2**31, -1, 0, 2**63))

    return _edit(data, rng, change)


def deep_array(data: bytes, rng: random.Random) -> bytes:
    """Nest an array thousands deep in a page dictionary (as its MediaBox, or an extra key)."""
    depth = rng.choice((100, 1000, 5000, 20000))
    nested = b"[" * depth + b"1" + b"]" * depth
    pages = list(re.finditer(rb"/Type\s*/Page\b", data))
    if not pages:
        return duplicate_range(data, rng)
    at = rng.choice(pages).end()
    key = rng.choice((b"/MediaBox ", b"/Deep ", b"/Resources "))
    return data[:at] + b" " + key + nested + b" " + data[at:]


def giant_stream(data: bytes, rng: random.Random) -> bytes:
    size = rng.choice((200_000, 2_000_000, 6_000_000))

    def change(pdf: pikepdf.Pdf, rng: random.Random) -> None:
        page = _page(pdf, rng)
        body = rng.choice((b"0 0 1 1 re f\n", b"BT /F1 1 Tf (x) Tj ET\n", b"q Q\n"))
        page.obj.Contents = pdf.make_stream(body * (size // len(body)))

    return _edit(data, rng, change)


def odd_mediabox(data: bytes, rng: random.Random) -> bytes:
    def change(pdf: pikepdf.Pdf, rng: random.Random) -> None:
        page = _page(pdf, rng)
        page.obj.MediaBox = pikepdf.Array(
            rng.choice(
                (
                    [0, 0, 0, 0],
                    [0, 0, -595, -842],
                    [0, 0, 1e9, 1e9],
                    [0, 0, 595],
                    [0, 0, pikepdf.Name.X, 842],
                    [0, 0, pikepdf.String("wide"), 842],
                    [842, 595, 0, 0],
                )
            )
        )

    return _edit(data, rng, change)


def odd_rotate(data: bytes, rng: random.Random) -> bytes:
    def change(pdf: pikepdf.Pdf, rng: random.Random) -> None:
        page = _page(pdf, rng)
        page.obj.Rotate = rng.choice((90, 180, 270, -90, 45, 10**9, pikepdf.Name.R))

    return _edit(data, rng, change)


def broken_xref(data: bytes, rng: random.Random) -> bytes:
    """Point startxref elsewhere, or scramble entries of the xref table."""
    found = list(re.finditer(rb"startxref\s+(\d+)", data))
    if found and rng.random() < 0.5:
        match = found[-1]
        offset = str(rng.randrange(len(data))).encode()
        return data[: match.start(1)] + offset + data[match.end(1) :]
    entries = list(re.finditer(rb"\d{10} \d{5} [nf]", data))
    if not entries:
        return flip_bytes(data, rng)
    buffer = bytearray(data)
    for entry in rng.sample(entries, min(len(entries), rng.choice((1, 3, 10)))):
        buffer[entry.start() : entry.start() + 10] = f"{rng.randrange(len(data)):010d}".encode()
    return bytes(buffer)


def damaged_text_matrix(data: bytes, rng: random.Random) -> bytes:
    """Replace the operands of one `Tm` with something that is not six numbers."""
    found = list(re.finditer(rb"((?:-?[\d.]+\s+){6})Tm", data))
    if not found:
        return swap_numbers(data, rng)
    match = rng.choice(found)
    broken = rng.choice((b"1 0 0 /X 0 0 ", b"1 0 0 ", b"(a) (b) (c) (d) (e) (f) ", b"1 0 0 1 0 [] "))
    return data[: match.start(1)] + broken + data[match.end(1) :]


BYTE_MUTATIONS: dict[str, Mutation] = {
    "flip_bytes": flip_bytes,
    "set_random_bytes": set_random_bytes,
    "truncate": truncate,
    "delete_range": delete_range,
    "duplicate_range": duplicate_range,
    "swap_numbers": swap_numbers,
    "drop_operator": drop_operator,
    "broken_xref": broken_xref,
    "damaged_text_matrix": damaged_text_matrix,
}
STRUCTURE_MUTATIONS: dict[str, Mutation] = {
    "delete_object": delete_object,
    "huge_count": huge_count,
    "deep_array": deep_array,
    "giant_stream": giant_stream,
    "odd_mediabox": odd_mediabox,
    "odd_rotate": odd_rotate,
}
MUTATIONS: dict[str, Mutation] = {**BYTE_MUTATIONS, **STRUCTURE_MUTATIONS}


def uncompressed(data: bytes) -> bytes:
    """The same PDF with its streams written plainly, so byte edits hit content operators, not zlib."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(
            out,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )
        return out.getvalue()
