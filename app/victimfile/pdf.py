"""The victim file as a PDF (fpdf2): the same outline as the print page, A4, with who
printed it and when in every page's footer.

DejaVu Sans (Debian's fonts-dejavu-core, also in the Docker image) covers every letter a
name may hold; without it the PDF falls back to the core Helvetica, whose Latin-1 covers
Spanish but shows other letters as "?".
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.templating import spanish_date
from app.victimfile.content import Entry, VictimFile

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# fpdf2 warns about a glyph the font lacks by quoting the characters: they come from a name
# or a narrative, which never go to a log.
logging.getLogger("fpdf").setLevel(logging.ERROR)
# Peru keeps UTC-5 all year: the footer's time is the office's.
PERU = timezone(timedelta(hours=-5))


def printed_line(name: str, at: datetime) -> str:
    local = at.astimezone(PERU)
    return f"Impreso por {name} el {spanish_date(local)} a las {local:%H:%M} (hora de Lima)"


class _FilePDF(FPDF):
    def __init__(self, file: VictimFile) -> None:
        super().__init__(format="A4")
        self.file = file
        self.family = "Helvetica"
        if (FONT_DIR / "DejaVuSans.ttf").exists():
            self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family = "DejaVu"
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(f"Ficha {file.code}")
        self.set_creator("CALP")

    def safe(self, text: str) -> str:
        if self.family == "DejaVu":
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family, "", 7.5)
        line = printed_line(self.file.printed_by, self.file.printed_at)
        text = f"Confidencial · {self.file.code} · {line} · página {self.page_no()}/{{nb}}"
        self.cell(0, 5, self.safe(text), align="C")


def _entry(pdf: _FilePDF, entry: Entry) -> None:
    width = pdf.epw
    if entry.heading:
        pdf.set_font(pdf.family, "B", 10)
        pdf.multi_cell(width, 5.5, pdf.safe(entry.heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for key, value in entry.fields:
        pdf.set_font(pdf.family, "B", 9)
        pdf.cell(48, 5, pdf.safe(key))
        pdf.set_font(pdf.family, "", 9)
        pdf.multi_cell(width - 48, 5, pdf.safe(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for key, value in entry.texts:
        pdf.set_font(pdf.family, "B", 9)
        pdf.multi_cell(width, 5, pdf.safe(key), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(pdf.family, "", 9)
        pdf.multi_cell(width, 5, pdf.safe(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def render_pdf(file: VictimFile) -> bytes:
    pdf = _FilePDF(file)
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 15)
    pdf.cell(
        0, 9, pdf.safe(f"Ficha de la víctima {file.code}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font(pdf.family, "", 9)
    pdf.multi_cell(
        pdf.epw,
        5,
        pdf.safe(
            f"Caso {file.case_code}. Documento confidencial: contiene lo que su rol puede ver; "
            "no lo comparta fuera del equipo a cargo."
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)
    for section in file.sections:
        pdf.set_font(pdf.family, "B", 12)
        pdf.set_fill_color(235, 240, 245)
        pdf.cell(0, 7, pdf.safe(section.title), fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
        if not section.entries:
            pdf.set_font(pdf.family, "", 9)
            pdf.cell(0, 5, pdf.safe(section.empty), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
        for entry in section.entries:
            _entry(pdf, entry)
    return bytes(pdf.output())
