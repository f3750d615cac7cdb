#!/usr/bin/env python3
"""Writes fixtures/extract/reports/ws-230-report.docx: an organisers' session
report as Word writes it (python-docx, pinned), with heading styles, bulleted
and numbered lists, a bold-line heading and a table, so the DOCX reader is
tested on a real document, not on hand-made XML.

    python3 -m pip install python-docx==1.1.2 && python3 scripts/make-docx-report.py
"""
from pathlib import Path

import docx

out = Path(__file__).resolve().parent.parent / "fixtures/extract/reports/ws-230-report.docx"
d = docx.Document()
d.core_properties.author = "IGF Secretariat"
# Fixed timestamps keep the file the same from one run to the next.
import datetime
d.core_properties.created = d.core_properties.modified = datetime.datetime(2026, 11, 1)
d.add_heading("IGF 2026 WS #230: Meaningful connectivity for rural communities", level=0)
d.add_paragraph("Session type: Workshop. Rapporteur: Leila Haddad.")
d.add_heading("Key Takeaways", level=1)
d.add_paragraph("Community networks reach villages that commercial operators consider unprofitable.", style="List Bullet")
d.add_paragraph(
    "Affordability, not coverage, is now the main barrier: a gigabyte still costs more than "
    "five per cent of monthly income in many rural areas.",
    style="List Bullet",
)
d.add_paragraph("Local content in local languages drives adoption more than speed does.", style="List Bullet")
p = d.add_paragraph()
p.add_run("Call to Action").bold = True
d.add_paragraph("Regulators should set aside spectrum for community networks at low or no cost.", style="List Number")
d.add_paragraph("Donors are invited to fund the training of local technicians, not only equipment.", style="List Number")
d.add_heading("Other notes", level=1)
table = d.add_table(rows=1, cols=2)
table.rows[0].cells[0].text = "Participants"
table.rows[0].cells[1].text = "About 60 on site and 40 online."
out.parent.mkdir(parents=True, exist_ok=True)
d.save(out)
print(out)
