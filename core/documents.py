"""Checking uploaded documents (PDF, Word, Excel) by their content, not their name alone."""

import io
import zipfile
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
