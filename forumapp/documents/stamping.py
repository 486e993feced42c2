"""Many pages that differ only in a few lines of text, drawn fast over one shared background.

Why: a batch of award certificates repeats one design a thousand times with another name.
WeasyPrint lays out a page in about 10 ms, and a document per certificate costs 60 ms or more.
Here WeasyPrint lays the design out once: the background (everything the pages share) and one
probe page whose variable parts are marked up (forumapp.documents.stamp_plan). Every page is then
only drawn: reportlab writes its lines where the plan puts them and its QR code as vector
modules, in the worker processes, and pikepdf puts the background under every page as one Form
XObject, stored once in the file. Text is real text in the bundled fonts (it extracts and
searches as in WeasyPrint's PDFs); line breaking is at spaces, without kerning.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable

import pikepdf
import segno
from pikepdf import Array, Dictionary, Name
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from forumapp.documents.batch import map_in_pool
from forumapp.documents.glyphs import face_runs
from forumapp.documents.render import BUNDLED_FACES
from forumapp.documents.stamp_plan import QRSlot, StampPlan, lines, registered, value_at

# Error correction M and a fixed mask: the same symbol wherever a code is drawn (any of the eight
# masks is valid and scans the same; choosing the "best" costs 5 ms a code).
QR_OPTIONS = {"error": "m", "mask": 2, "micro": False}
# reportlab wraps compressed streams in ASCII85 by default (a quarter bigger, and pikepdf would
# have to decode and compress every stream again to drop it); plain binary streams instead.
rl_config.useA85 = 0


def make_qr(value: str):
    return segno.make(value, **QR_OPTIONS)


_DARK_RUN = re.compile(b"\x01+")  # segno's matrix rows are bytes: 1 dark, 0 light


def _draw_qr(canvas: Canvas, slot: QRSlot, page_height: float, value: str) -> None:
    """Dark modules as filled rectangles, one per run in a row, on white (as the PNG has)."""
    matrix = make_qr(value).matrix
    module = slot.size / len(matrix)
    canvas.saveState()
    # One unit = one module, the origin at the code's top left, y downwards: whole numbers only.
    canvas.transform(module, 0, 0, -module, slot.left, page_height - slot.top)
    runs = [f"1 g 0 0 {len(matrix)} {len(matrix)} re f 0 g"]
    for y, row in enumerate(matrix):
        runs.extend(f"{run.start()} {y} {run.end() - run.start()} 1 re" for run in _DARK_RUN.finditer(row))
    runs.append("f")
    canvas.addLiteral(" ".join(runs))
    canvas.restoreState()


def _draw_line(canvas: Canvas, text: str, field, x: float, y: float) -> None:
    """One line in the field's face, symbols in the bundled symbol faces (reportlab has no font
    fallback: a character its font lacks would be drawn as nothing or a blank box)."""
    runs = face_runs(text, field.font)
    if len(runs) == 1:
        canvas.setFont(registered(runs[0][1]), field.size)
        canvas.drawString(x, y, runs[0][0], charSpace=field.letter_spacing)
        return
    drawn = canvas.beginText(x, y)
    drawn.setCharSpace(field.letter_spacing)
    for run, face in runs:
        drawn.setFont(registered(face), field.size)
        drawn.textOut(run)
    canvas.drawText(drawn)


def draw_pages(plan: StampPlan, pages: list[dict]) -> bytes:
    """A PDF with one page per data dict: only the variable text and QR codes (no background)."""
    buffer = io.BytesIO()
    # A bundled font as the initial one: reportlab would otherwise name Helvetica, unembedded.
    canvas = Canvas(buffer, pagesize=(plan.width, plan.height), pageCompression=1,
                    initialFontName=registered(BUNDLED_FACES[("Forum Sans", False, False)]))
    height = plan.height
    for data in pages:
        for stack in plan.stacks:
            placed = lines(stack, data)
            if not placed:
                continue
            canvas.saveState()
            if stack.clip:  # overflow: hidden
                box = canvas.beginPath()
                box.rect(stack.left, height - stack.top - stack.height, stack.width, stack.height)
                canvas.clipPath(box, stroke=0, fill=0)
            for line in placed:
                field = line.field
                red, green, blue, alpha = field.colour
                canvas.setFillColorRGB(red, green, blue, alpha=alpha if alpha < 1 else None)
                _draw_line(canvas, line.text, field, line.x, height - line.baseline)
            canvas.restoreState()
        for slot in plan.qr_codes:
            value = value_at(data, slot.path)
            if value:
                _draw_qr(canvas, slot, height, value)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_chunk(chunk: tuple) -> bytes:
    plan, pages = chunk
    return draw_pages(plan, pages)


def assemble(background: bytes, parts: list[bytes], *, title: str = "") -> bytes:
    """The pages of `parts` in order, each drawn over the first page of `background`: one Form
    XObject and one content stream that draws it, shared by every page. Compressed streams are
    copied as they are, never decoded and compressed again (that would cost more than drawing)."""
    with pikepdf.open(io.BytesIO(background)) as layer, pikepdf.open(io.BytesIO(parts[0])) as pdf:
        others = [pikepdf.open(io.BytesIO(part)) for part in parts[1:]]
        try:
            for other in others:
                pdf.pages.extend(other.pages)
            form = pdf.copy_foreign(layer.pages[0].as_form_xobject())
            underlay = pdf.make_stream(b"q /ForumLayer Do Q")
            for page in pdf.pages:
                resources = page.obj.Resources
                if Name.XObject not in resources:
                    resources.XObject = Dictionary()
                resources.XObject.ForumLayer = form
                contents = page.obj.Contents
                page.obj.Contents = Array([underlay, *(contents if isinstance(contents, Array) else [contents])])
            for stream in pdf.objects:  # reportlab leaves its embedded fonts uncompressed
                if isinstance(stream, pikepdf.Stream) and Name.Filter not in stream:
                    stream.write(zlib.compress(stream.read_raw_bytes()), filter=Name.FlateDecode)
            if title:
                pdf.docinfo["/Title"] = title
            out = io.BytesIO()
            pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                     object_stream_mode=pikepdf.ObjectStreamMode.generate)
            return out.getvalue()
        finally:
            for other in others:
                other.close()


def stamp(background: bytes, plan: StampPlan, pages: list[dict], *, chunk_size: int,
          parallel: bool = True, progress: Callable[[int], None] | None = None, title: str = "") -> bytes:
    """One PDF: every page of `pages` stamped over the background, drawn in chunks by the worker
    pool (in this process when not `parallel`); `progress(pages_done)` as chunks finish."""
    if not pages:
        raise ValueError("nothing to stamp")
    chunks = [(plan, pages[i:i + chunk_size]) for i in range(0, len(pages), chunk_size)]
    sizes = [len(chunk[1]) for chunk in chunks]
    parts = map_in_pool(_draw_chunk, chunks, parallel=parallel, progress=progress, sizes=sizes)
    return assemble(background, parts, title=title)
