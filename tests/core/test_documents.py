import io
import zipfile
import zlib

import pytest

from core.documents import DocumentRejected, check_document


def office_file(part):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return output.getvalue()


def test_pdf_docx_and_xlsx_are_accepted():
    assert check_document("a.pdf", b"%PDF-1.7 ...", max_bytes=100).extension == "pdf"
    assert (
        check_document("b.DOCX", office_file("word/document.xml"), max_bytes=10**6).extension
        == "docx"
    )
    assert (
        check_document("c.xlsx", office_file("xl/workbook.xml"), max_bytes=10**6).extension
        == "xlsx"
    )


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("page.html", b"<html></html>", "只能是 PDF"),
        ("fake.pdf", b"<html><script>", "不是 PDF"),
        ("fake.docx", b"PK\x03\x04 not really", "不是有效的 DOCX"),
        ("sheet.xlsx", office_file("word/document.xml"), "不是有效的 XLSX"),
        ("noextension", b"%PDF-", "只能是 PDF"),
    ],
)
def test_files_whose_content_does_not_match_are_refused(name, data, reason):
    with pytest.raises(DocumentRejected, match=reason):
        check_document(name, data, max_bytes=10**6)


def test_oversized_documents_are_refused():
    with pytest.raises(DocumentRejected, match="附件过大"):
        check_document("a.pdf", b"%PDF-" + b"0" * 100, max_bytes=50)


# PDFs that run code ------------------------------------------------------------------------


def pdf(*objects: bytes) -> bytes:
    """A small PDF made of the given objects (numbered from 1), with a catalog and a page."""
    body = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *objects,
    ]
    parts = [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"]
    for number, content in enumerate(body, start=1):
        parts.append(b"%d 0 obj\n%s\nendobj\n" % (number, content))
    parts.append(b"trailer\n<< /Root 1 0 R /Size %d >>\n%%%%EOF\n" % (len(body) + 1))
    return b"".join(parts)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def object_stream(*objects: bytes, dictionary=b"/Type /ObjStm", first_number=10) -> bytes:
    """Objects numbered from ``first_number`` packed into one Flate-compressed object stream."""
    offsets, content = [], b""
    for index, content_of_object in enumerate(objects):
        offsets.append(b"%d %d" % (first_number + index, len(content)))
        content += content_of_object + b" "
    head = b" ".join(offsets) + b" "
    data = zlib.compress(head + content)
    dictionary += b" /N %d /First %d /Filter /FlateDecode" % (len(objects), len(head))
    return stream(dictionary, data)


def check_pdf(data: bytes):
    return check_document("minutes.pdf", data, max_bytes=10**7)


def test_a_plain_pdf_with_an_object_stream_and_a_compressed_font_is_accepted():
    font = stream(b"/Length1 300 /Filter /FlateDecode", zlib.compress(bytes(range(256)) * 40))
    clean = pdf(font, object_stream(b"<< /Title (Minutes) /Author (Branch 1) >>"))
    assert check_pdf(clean).extension == "pdf"


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        (b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>", "JavaScript"),
        (b"<< /Names << /JavaScript 9 0 R >> >>", "JavaScript"),
        (b"<< /OpenAction << /S /URI /URI (http://example.com/) >> >>", "OpenAction"),
        (b"<< /OpenAction 4 0 R >> 4 0 obj << /S /GoTo /Next 5 0 R >>", "OpenAction"),
        (b"<< /S /Launch /F (calc.exe) >>", "Launch"),
        (b"<< /AA << /O 9 0 R >> >>", "AA"),
    ],
)
def test_each_pdf_action_is_refused_with_its_name(action, reason):
    with pytest.raises(DocumentRejected, match=reason):
        check_pdf(pdf(action))


@pytest.mark.parametrize(
    "opening",
    [
        b"<< /OpenAction [3 0 R /Fit] >>",
        b"<< /OpenAction << /S /GoTo /D [3 0 R /Fit] >> >>",
        b"<< /OpenAction 9 0 R >>",
    ],
)
def test_opening_the_document_at_a_page_is_not_an_action_and_is_accepted(opening):
    destination = object_stream(b"[3 0 R /XYZ null null null]", first_number=9)
    assert check_pdf(pdf(opening, destination)).extension == "pdf"


def test_an_action_written_with_hex_escapes_is_refused():
    with pytest.raises(DocumentRejected, match="JavaScript"):
        check_pdf(pdf(b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"))


def test_an_action_hidden_in_a_compressed_object_stream_is_refused():
    hidden = object_stream(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (x) >> >>")
    with pytest.raises(DocumentRejected, match="OpenAction"):
        check_pdf(pdf(hidden))


def test_an_object_stream_that_does_not_say_what_it_is_is_still_read():
    disguised = object_stream(b"<< /AA << /O 9 0 R >> >>", dictionary=b"/Type /XObject")
    disguised = disguised.replace(b"/N 1 /First", b"/M 1 /Second")
    with pytest.raises(DocumentRejected, match="AA"):
        check_pdf(pdf(disguised))


def test_an_object_stream_in_an_encoding_that_cannot_be_checked_is_refused():
    unreadable = stream(b"/Type /ObjStm /N 1 /First 5 /Filter /LZWDecode", b"\x80\x0b\x60\x50")
    with pytest.raises(DocumentRejected, match="无法检查的编码（LZWDecode）"):
        check_pdf(pdf(unreadable))


def test_a_broken_object_stream_is_refused():
    broken = stream(b"/Type /ObjStm /N 1 /First 5 /Filter /FlateDecode", b"not zlib at all")
    with pytest.raises(DocumentRejected, match="无法解码"):
        check_pdf(pdf(broken))


def test_an_encrypted_pdf_is_refused_because_it_cannot_be_checked():
    encrypted = pdf(b"<< /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >>").replace(
        b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 4 0 R"
    )
    with pytest.raises(DocumentRejected, match="加密"):
        check_pdf(encrypted)


def test_an_object_stream_that_inflates_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr("core.documents.MAX_PDF_DECODED_BYTES", 1000)
    bomb = object_stream(b"<< /Title (" + b"0" * 5000 + b") >>")
    with pytest.raises(DocumentRejected, match="解压后过大"):
        check_pdf(pdf(bomb))


def test_the_word_stream_in_a_string_does_not_hide_what_follows():
    trick = b"<< /Title (x endstream stream\n) /OpenAction 3 0 R /Subject (endstream) >>"
    with pytest.raises(DocumentRejected, match="OpenAction"):
        check_pdf(pdf(trick))
