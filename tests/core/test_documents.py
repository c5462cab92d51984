import io
import zipfile

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
