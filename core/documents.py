"""Checking uploaded documents (PDF, Word, Excel) by their content, not their name alone."""

import base64
import binascii
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

# Extension -> (content type, what the file must contain to be one).
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OFFICE_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


class DocumentRejected(ValueError):
    """The upload is not a document we accept; the message is for the person who sent it."""


@dataclass(frozen=True)
class CheckedDocument:
    extension: str
    content_type: str


def check_document(filename: str, data: bytes, *, max_bytes: int) -> CheckedDocument:
    """Accept a PDF, DOCX or XLSX whose content matches its extension, within `max_bytes`."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in DOCUMENT_TYPES:
        raise DocumentRejected("附件只能是 PDF、DOCX 或 XLSX 文件。")
    if len(data) > max_bytes:
        raise DocumentRejected(f"附件过大：不能超过 {max_bytes // (1024 * 1024)} MB。")
    if extension == "pdf":
        if not data.startswith(b"%PDF-"):
            raise DocumentRejected("文件内容不是 PDF。")
        check_pdf_is_inert(data)
    elif not _is_office_file(data, _OFFICE_PART[extension]):
        raise DocumentRejected(f"文件内容不是有效的 {extension.upper()} 文件。")
    return CheckedDocument(extension=extension, content_type=DOCUMENT_TYPES[extension])


def _is_office_file(data: bytes, required_part: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and required_part in names


# --- PDFs that run code -----------------------------------------------------------------------
#
# A PDF reader runs JavaScript (/JavaScript, /JS) and performs actions when a document opens
# (/OpenAction), when a page or field is shown (/AA, "additional actions"), or launches a program
# (/Launch). Such a file is refused, wherever the name sits: in a plain object, written with #xx
# escapes (/J#53), or inside a compressed object stream. What cannot be checked (an encrypted
# file, an object stream we cannot decode, one that inflates beyond MAX_PDF_DECODED_BYTES) is
# refused too: a reader could find an action there that we did not see.

PDF_ACTIONS = {
    b"JavaScript": "JavaScript 脚本",
    b"JS": "JavaScript 脚本",
    b"OpenAction": "打开时自动执行的动作（OpenAction）",
    b"AA": "自动执行的动作（AA）",
    b"Launch": "启动外部程序的动作（Launch）",
}
MAX_PDF_DECODED_BYTES = 256 * 1024 * 1024
_DECODE_CHUNK = 1024 * 1024
# A name: a solidus and the regular characters after it (PDF 32000-1, 7.3.5).
_REGULAR = rb"[^\x00\t\n\f\r /%()<>\[\]{}]"
_WATCHED_NAME = re.compile(rb"/(JavaScript|JS|OpenAction|AA|Launch|Encrypt)(?!" + _REGULAR + rb")")
_ESCAPED_NAME = re.compile(rb"/(" + _REGULAR + rb"*#" + _REGULAR + rb"*)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# The keyword follows its dictionary: "endstream" and "stream" inside text are not streams.
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_DIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>]+)")
_IMAGE_FILTERS = {b"DCTDecode", b"DCT", b"JPXDecode", b"CCITTFaxDecode", b"CCF", b"JBIG2Decode"}
# An object stream starts with pairs of integers (object number, offset): 7.5.7.
_OBJECT_STREAM_START = re.compile(rb"\s*\d+\s+\d+\s")
_OBJECT = re.compile(rb"(\d+)\s+\d+\s+obj\s*")
_REFERENCE = re.compile(rb"(\d+)\s+\d+\s+R\b")
# A GoTo action within the document, with no /Next action chained to it.
_GO_TO = re.compile(rb"<<(?=.*/S\s*/GoTo\b)(?!.*/Next\b)", re.DOTALL)
_START = 200  # bytes of an object read to tell what it is


def _unescape_name(name: bytes) -> bytes:
    return _HEX_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), name)


def _name_matches(data: bytes):
    """The names that matter in ``data``, as (match, name with escapes undone).

    Searching for the few names asked about, and for escaped names only, is many times faster
    than undoing the escapes of every name of a large document.
    """
    for match in _WATCHED_NAME.finditer(data):
        yield match, match[1]
    for match in _ESCAPED_NAME.finditer(data):
        yield match, _unescape_name(match[1])


def _names(data: bytes) -> set[bytes]:
    return {name for _match, name in _name_matches(data)}


def _refuse_actions(texts: list[bytes], packed: dict[int, bytes]) -> None:
    names = set().union(*(_names(text) for text in texts))
    if b"Encrypt" in names:
        raise DocumentRejected(
            "加密的 PDF 无法检查其中是否含有脚本，不予接受。请上传未加密的文件。"
        )
    if b"OpenAction" in names:
        objects = dict(packed)
        for text in texts:
            objects.update(_object_starts(text))
        if all(_opens_at_a_page(text, objects) for text in texts):
            names.discard(b"OpenAction")
    found = [label for name, label in PDF_ACTIONS.items() if name in names]
    if found:
        what = "、".join(dict.fromkeys(found))
        raise DocumentRejected(
            f"PDF 含有{what}，出于安全原因不予接受。请去除脚本和自动动作后再上传"
            "（例如用“打印为 PDF”另存一份）。"
        )


def _opens_at_a_page(text: bytes, objects: dict[int, bytes]) -> bool:
    """Whether every /OpenAction in ``text`` only opens the document at one of its pages.

    Word processors and LaTeX write one: a destination (``[3 0 R /Fit]``) or a GoTo action
    (``<< /S /GoTo /D [3 0 R /Fit] >>``), directly or as a reference to such an object.
    """
    for match, name in _name_matches(text):
        if name != b"OpenAction":
            continue
        value = text[match.end() : match.end() + _START].lstrip()
        if reference := _REFERENCE.match(value):
            value = objects.get(int(reference[1]), b"")
        if not (value.startswith(b"[") or _GO_TO.match(value.split(b">>", 1)[0])):
            return False
    return True


def _object_starts(text: bytes) -> dict[int, bytes]:
    """What each plain object in ``text`` starts with."""
    return {
        int(match[1]): text[match.end() : match.end() + _START] for match in _OBJECT.finditer(text)
    }


def _packed_object_starts(header: bytes, decoded: bytes) -> dict[int, bytes]:
    """The same for the objects packed in an object stream."""
    first = re.search(rb"/First\s+(\d+)", header)
    if not first:
        return {}
    numbers = [int(number) for number in decoded[: int(first[1])].split()]
    return {
        number: decoded[int(first[1]) + offset :][:_START].lstrip()
        for number, offset in zip(numbers[::2], numbers[1::2], strict=False)
    }


def _stream_spans(data: bytes):
    """(keyword, start, end, header) for each stream: where its bytes are, and its dictionary."""
    position = 0
    while match := _STREAM.search(data, position):
        start = match.end()
        header_start = data.rfind(b"obj", position, match.start())
        header = data[header_start if header_start >= 0 else match.start() : match.start()]
        end = -1
        if length := _DIRECT_LENGTH.search(header):
            candidate = start + int(length[1])
            if data[candidate : candidate + 12].lstrip(b"\r\n ").startswith(b"endstream"):
                end = candidate
        if end < 0:
            end = data.find(b"endstream", start)
            if end < 0:
                end = len(data)
        yield match.start(), start, end, _unescape_name(header)
        position = end


def _filters(header: bytes) -> list[bytes]:
    match = _FILTER.search(header)
    if not match:
        return []
    return [_unescape_name(name) for name in re.findall(rb"/([^\s/\[\]<>]+)", match[1])]


class _Budget:
    def __init__(self):
        self.left = MAX_PDF_DECODED_BYTES

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise DocumentRejected("PDF 解压后过大，无法检查其中是否含有脚本，不予接受。")


def _decode(body: bytes, filters: list[bytes], budget: _Budget) -> bytes | None:
    """The decoded bytes, or None for an image filter (pixels hold no objects)."""
    for name in filters:
        if name in _IMAGE_FILTERS:
            return None
        try:
            if name in (b"FlateDecode", b"Fl"):
                inflater = zlib.decompressobj()
                parts = [inflater.decompress(body, _DECODE_CHUNK)]
                budget.spend(len(parts[0]))
                while inflater.unconsumed_tail:
                    parts.append(inflater.decompress(inflater.unconsumed_tail, _DECODE_CHUNK))
                    budget.spend(len(parts[-1]))
                body = b"".join(parts)
            elif name in (b"ASCIIHexDecode", b"AHx"):
                digits = re.sub(rb"\s", b"", body.split(b">", 1)[0])
                body = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
            elif name in (b"ASCII85Decode", b"A85"):
                text = re.sub(rb"\s", b"", body).removeprefix(b"<~").split(b"~>", 1)[0]
                body = base64.a85decode(text)
            else:
                raise DocumentRejected(
                    f"PDF 使用了无法检查的编码（{name.decode('latin-1')}），不予接受。"
                    "请另存为新的 PDF 后再上传。"
                )
        except DocumentRejected:
            raise
        except (zlib.error, ValueError) as exc:
            raise DocumentRejected("PDF 中有无法解码的对象流，无法检查，不予接受。") from exc
    return body


def _is_object_stream(header: bytes, body: bytes, filters: list[bytes], budget) -> bool:
    """By its dictionary, or (if the dictionary hides it) by how its content starts."""
    if b"/First" in header or b"/ObjStm" in header:
        return True
    if filters == [b"FlateDecode"] or filters == [b"Fl"]:
        try:
            start = zlib.decompressobj().decompress(body, 64)
        except zlib.error:
            return False  # no reader can take objects out of it either
    else:
        start = _decode(body, filters, budget) or b""
    return bool(_OBJECT_STREAM_START.match(start))


def check_pdf_is_inert(data: bytes) -> None:
    """Refuse a PDF holding JavaScript or automatic actions, or one that cannot be checked."""
    budget = _Budget()
    texts, objects = [], {}
    position = 0
    for keyword, start, end, header in _stream_spans(data):
        texts.append(data[position:keyword])
        position = end
        body, filters = data[start:end], _filters(header)
        # Dictionaries (and so actions) live in plain objects and in object streams; the
        # bytes of images and fonts are left alone, they would only give false alarms.
        if any(name in _IMAGE_FILTERS for name in filters):
            continue
        if _is_object_stream(header, body, filters, budget):
            decoded = _decode(body, filters, budget) or b""
            texts.append(decoded)
            objects.update(_packed_object_starts(header, decoded))
    texts.append(data[position:])
    _refuse_actions(texts, objects)
