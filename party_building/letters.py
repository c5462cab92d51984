"""The transfer letter (中国共产党党员组织关系介绍信) as a PDF, with its detachable 回执.

Drawn on the server with reportlab and its built-in CID font STSong-Light, a standard
Adobe-GB1 face that PDF readers supply: no font file is shipped or embedded. The letter is
served by a permission-checked view only (``transfer_views.LetterView``), never from a
public address.
"""

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1)
NUMBER = ParagraphStyle("number", fontName=FONT, fontSize=11, leading=16, alignment=2)
BODY = ParagraphStyle(
    "body", fontName=FONT, fontSize=12, leading=22, wordWrap="CJK", firstLineIndent=24
)
ADDRESS = ParagraphStyle("address", parent=BODY, firstLineIndent=0)
SIGNATURE = ParagraphStyle("signature", parent=BODY, alignment=2, firstLineIndent=0)
CUT = ParagraphStyle("cut", fontName=FONT, fontSize=9, leading=12, alignment=1)


@dataclass(frozen=True)
class Letter:
    """What the letter says; the view fills it from a transfer (names as text, never markup)."""

    number: str
    member_name: str
    member_status: str
    destination: str
    source_branch: str
    issuer: str
    issued_on: date
    valid_until: date
    dues_paid_until: date | None


class CutLine(Flowable):
    """A dashed line across the page: the 回执 is cut off along it and sent back."""

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, 4 * mm

    def draw(self):
        self.canv.setDash(4, 3)
        self.canv.line(0, 2 * mm, self.width, 2 * mm)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render(letter: Letter) -> bytes:
    """The letter and its 回执 on one A4 page, as PDF bytes."""
    text = {key: escape(str(value)) for key, value in letter.__dict__.items()}
    dues = (
        f"该同志党费已交到{letter.dues_paid_until.year}年{letter.dues_paid_until.month}月。"
        if letter.dues_paid_until
        else ""
    )
    story = [
        Paragraph("中国共产党党员组织关系介绍信", TITLE),
        Paragraph(text["number"], NUMBER),
        Spacer(0, 4 * mm),
        Paragraph(f"{text['destination']}：", ADDRESS),
        Paragraph(
            f"兹介绍{text['member_name']}同志（{text['member_status']}）的党员组织关系由"
            f"{text['source_branch']}转去你处，请予接收。{escape(dues)}",
            BODY,
        ),
        Paragraph(f"（有效期至{chinese_date(letter.valid_until)}）", BODY),
        Spacer(0, 8 * mm),
        Paragraph(f"{text['issuer']}（盖章）", SIGNATURE),
        Paragraph(chinese_date(letter.issued_on), SIGNATURE),
        Spacer(0, 14 * mm),
        Paragraph("沿此线剪下，回执寄回转出党组织", CUT),
        CutLine(),
        Spacer(0, 8 * mm),
        Paragraph("中国共产党党员组织关系介绍信回执", TITLE),
        Paragraph(text["number"], NUMBER),
        Spacer(0, 4 * mm),
        Paragraph(f"{text['issuer']}：", ADDRESS),
        Paragraph(
            f"你处{text['number']}介绍信收悉，{text['member_name']}同志的党员组织关系"
            "已转达我处，特此回执。",
            BODY,
        ),
        Spacer(0, 8 * mm),
        Paragraph("接收党组织（盖章）", SIGNATURE),
        Paragraph("年" + "&nbsp;" * 6 + "月" + "&nbsp;" * 6 + "日", SIGNATURE),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=f"党员组织关系介绍信 {letter.number}",
        author=letter.issuer,
    )
    document.build(story)
    return buffer.getvalue()
