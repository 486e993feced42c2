"""Where the variable text of a page goes, read from WeasyPrint's layout of one probe page.

A design marks its variable parts (see forumapp.documents.stamping for why):

- `data-stack`: a block that establishes its own formatting context (absolutely positioned,
  floated, or with `overflow` other than visible), holding the fields stacked top to bottom;
- `data-field="path"`: a block inside a stack whose text is the page data's value at `path`
  (``name.kk`` is ``data["name"]["kk"]``); it is left out when the value is empty;
- `data-qr="path"`: a QR code of the value at `path`, over the box of its image.

The plan keeps, per field, what CSS computed (font, size, colour, alignment, line height, the
baseline's place in the line, margins, borders and padding, a fixed height) and, per stack, its
content box. `lines()` then places any page's text the way CSS block flow does: margins between
siblings collapse, text wraps at spaces to the field's width, lines are `line-height` apart.
`mismatches()` compares that with WeasyPrint's own lines for the probe, so a design using CSS
this model does not follow is detected before anything is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from fontTools.ttLib import TTFont as FontFile
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from weasyprint.text.line_break import get_log_attrs

from forumapp.documents.glyphs import drawable, face_runs
from forumapp.documents.render import BUNDLED_FACES, STATIC_DIR

PT = 0.75  # CSS px -> PDF points
TOLERANCE_Y = 0.5  # points: a baseline further off than this means the model is wrong
TOLERANCE_X = 2.5  # points: HarfBuzz kerns, the stamper does not; a name moves by a point or so


class UnsupportedDesign(ValueError):
    """The marked-up page uses something the stamping model cannot reproduce."""


@dataclass(frozen=True)
class FieldSlot:
    path: str
    font: str  # file name under static/fonts/ (also its name in reportlab)
    size: float  # all lengths in points
    colour: tuple[float, float, float, float]
    align: str  # left, center or right
    line_height: float
    baseline: float  # from the top of a line box
    margin_top: float
    margin_bottom: float
    above: float  # border and padding above the text
    below: float
    fixed_height: float | None  # a CSS height, else as tall as its lines
    left: float
    width: float
    letter_spacing: float
    transform: str
    lang: str | None


@dataclass(frozen=True)
class StackSlot:
    left: float
    top: float
    width: float
    height: float
    clip: bool
    fields: tuple[FieldSlot, ...]


@dataclass(frozen=True)
class QRSlot:
    path: str
    left: float
    top: float
    size: float


@dataclass(frozen=True)
class StampPlan:
    width: float
    height: float
    stacks: tuple[StackSlot, ...]
    qr_codes: tuple[QRSlot, ...]


@dataclass(frozen=True)
class PlacedLine:
    field: FieldSlot
    text: str
    x: float  # left end of the text, from the page's left edge
    baseline: float  # from the page's top edge


def value_at(data: dict, path: str) -> str:
    value = data
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return " ".join(str(value).split()) if value else ""


def _marked(page_box, attribute: str) -> list:
    """The principal box of each element carrying `attribute`, in document order."""
    seen, boxes = set(), []
    for box in page_box.descendants(placeholders=True):
        element = getattr(box, "element", None)
        if element is None or element.get(attribute) is None or id(element) in seen:
            continue
        seen.add(id(element))
        boxes.append(box)
    return boxes


def _font_file(style) -> str:
    bold = (style["font_weight"] if isinstance(style["font_weight"], int) else 400) >= 600
    italic = style["font_style"] != "normal"
    for family in style["font_family"]:
        file = BUNDLED_FACES.get((family, bold, italic))
        if file:
            return file
    raise UnsupportedDesign(f"no bundled font for {style['font_family']} (bold={bold}, italic={italic})")


def _lines_of(box) -> list:
    return [child for child in box.descendants(placeholders=True) if type(child).__name__ == "LineBox"]


def _text_boxes(line) -> list:
    return [child for child in line.descendants(placeholders=True) if type(child).__name__ == "TextBox"]


def _field(box) -> FieldSlot:
    style = box.style
    lines = _lines_of(box)
    texts = _text_boxes(lines[0]) if lines else []
    if not texts:
        raise UnsupportedDesign(f"field {box.element.get('data-field')!r} has no text in the probe page")
    align = {"start": "left", "end": "right"}.get(style["text_align_all"], style["text_align_all"])
    if align not in ("left", "center", "right") or style["direction"] != "ltr":
        raise UnsupportedDesign(f"text-align {style['text_align_all']} is not stamped")
    colour = style["color"].to("srgb")
    spacing = style["letter_spacing"]
    fixed = style["height"] != "auto"
    return FieldSlot(
        path=box.element.get("data-field"),
        font=_font_file(style),
        size=style["font_size"] * PT,
        colour=(*colour.coordinates, colour.alpha),
        align=align,
        line_height=lines[0].height * PT,
        baseline=(texts[0].position_y + texts[0].baseline - lines[0].position_y) * PT,
        margin_top=box.margin_top * PT,
        margin_bottom=box.margin_bottom * PT,
        above=(box.border_top_width + box.padding_top) * PT,
        below=(box.border_bottom_width + box.padding_bottom) * PT,
        fixed_height=box.height * PT if fixed else None,
        left=box.content_box_x() * PT,
        width=box.width * PT,
        letter_spacing=0.0 if spacing == "normal" else spacing * PT,
        transform=style["text_transform"],
        lang=style["lang"],
    )


def plan_page(page) -> StampPlan:
    """The plan of a laid-out WeasyPrint page (weasyprint.Page) of the marked-up design."""
    page_box = page._page_box
    stacks = []
    for box in _marked(page_box, "data-stack"):
        fields = tuple(_field(child) for child in _marked(box, "data-field"))
        stacks.append(StackSlot(left=box.content_box_x() * PT, top=box.content_box_y() * PT,
                                width=box.width * PT, height=box.height * PT,
                                clip=box.style["overflow"] != "visible", fields=fields))
    codes = []
    for box in _marked(page_box, "data-qr"):
        image = next((b for b in box.descendants(placeholders=True) if type(b).__name__.endswith("ReplacedBox")), box)
        codes.append(QRSlot(path=box.element.get("data-qr"), left=image.content_box_x() * PT,
                            top=image.content_box_y() * PT, size=min(image.width, image.height) * PT))
    return StampPlan(width=page.width * PT, height=page.height * PT, stacks=tuple(stacks), qr_codes=tuple(codes))


@cache
def registered(font: str) -> str:
    """A bundled font made known to reportlab (once per process) under its file name."""
    pdfmetrics.registerFont(TTFont(font, STATIC_DIR / "fonts" / font))
    return font


@lru_cache(maxsize=65536)
def text_width(text: str, font: str, size: float, letter_spacing: float) -> float:
    """As drawn: symbols in their symbol face (glyphs.face_runs)."""
    return sum(pdfmetrics.stringWidth(run, registered(face), size) + letter_spacing * len(run)
               for run, face in face_runs(text, font))


def _transform(text: str, transform: str) -> str:
    return {"uppercase": str.upper, "lowercase": str.lower, "capitalize": str.title}.get(transform, str)(text)


def _segments(text: str, lang: str | None) -> list[str]:
    """The text cut where a line may break, by Pango's rules (UAX #14), as WeasyPrint breaks it:
    after spaces, and also after a hyphen or a slash and the like."""
    attrs = get_log_attrs(text, lang)
    cuts = [0, *(i for i in range(1, len(text)) if attrs[i].is_line_break), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def wrap(text: str, field: FieldSlot) -> list[str]:
    """Greedy line breaking, as a browser does without hyphenation; a piece longer than the line
    stays whole (it overflows, as in CSS)."""
    def fits(line: str) -> bool:
        return text_width(line.rstrip(" "), field.font, field.size, field.letter_spacing) <= field.width + 0.01

    if fits(text):
        return [text]
    lines, current = [], ""
    for segment in _segments(text, field.lang):
        if current and not fits(current + segment):
            lines.append(current.rstrip(" "))
            current = segment
        else:
            current += segment
    return [*lines, current.rstrip(" ")] if current.strip() else lines


@cache
def _extents(face: str) -> tuple[float, float]:
    """Ascent and descent of a bundled face, in ems (hhea, as Pango reads them)."""
    font = FontFile(STATIC_DIR / "fonts" / face, lazy=True)
    units = font["head"].unitsPerEm
    return font["hhea"].ascent / units, -font["hhea"].descent / units


def _fallback_growth(line: str, field: FieldSlot) -> tuple[float, float]:
    """How much taller than the field's own lines a line is where a symbol face draws some of
    it: WeasyPrint lays such a line out with that face's ascent and descent too, and the line
    box grows by half the difference above and below (measured; the symbol faces descend
    further than the text faces). Nothing for a line in the field's face alone."""
    faces = {face for _run, face in face_runs(line, field.font)} - {field.font}
    if not faces:
        return 0.0, 0.0
    ascent, descent = _extents(field.font)
    higher = max(_extents(face)[0] for face in faces) - ascent
    lower = max(_extents(face)[1] for face in faces) - descent
    return max(higher, 0.0) / 2 * field.size, max(lower, 0.0) / 2 * field.size


def _collapse(a: float, b: float) -> float:
    """CSS margin collapsing of two adjoining vertical margins."""
    return max(a, b, 0) + min(a, b, 0)


def lines(stack: StackSlot, data: dict) -> list[PlacedLine]:
    placed, y, previous_margin = [], stack.top, None
    for field in stack.fields:
        # What no bundled face draws becomes □, as in WeasyPrint's PDFs (render.py, glyphs.py).
        text = drawable(_transform(value_at(data, field.path), field.transform))
        if not text:
            continue
        y += field.margin_top if previous_margin is None else _collapse(previous_margin, field.margin_top)
        y += field.above
        wrapped = wrap(text, field)
        top = y
        for line in wrapped:
            free = field.width - text_width(line, field.font, field.size, field.letter_spacing)
            offset = {"left": 0.0, "center": free / 2, "right": free}[field.align]
            above, below = _fallback_growth(line, field)
            placed.append(PlacedLine(field, line, field.left + offset, top + above + field.baseline))
            top += above + field.line_height + below
        y = y + field.fixed_height if field.fixed_height is not None else top
        y += field.below
        previous_margin = field.margin_bottom
    return placed


def mismatches(plan: StampPlan, page, data: dict) -> list[str]:
    """Lines of the probe page where WeasyPrint and the plan disagree (empty: the plan holds)."""
    actual, stamped = [], set()
    for box in _marked(page._page_box, "data-field"):
        stamped.update(id(text) for line in _lines_of(box) for text in _text_boxes(line))
        for line in _lines_of(box):
            texts = _text_boxes(line)
            if texts:
                first = texts[0]
                actual.append(("".join(t.text for t in texts).strip(), first.position_x * PT,
                               (first.position_y + first.baseline) * PT))
    predicted = [(p.text, p.x, p.baseline) for stack in plan.stacks for p in lines(stack, data)]
    problems = []
    # Whatever the probe page shows outside the marks would be missing from stamped pages.
    codes = {id(b) for qr in _marked(page._page_box, "data-qr") for b in qr.descendants(placeholders=True)}
    for box in page._page_box.descendants(placeholders=True):
        kind = type(box).__name__
        if kind == "TextBox" and id(box) not in stamped and box.text.strip():
            problems.append(f"unmarked text {box.text.strip()!r}")
        elif kind.endswith("ReplacedBox") and id(box) not in codes:
            problems.append("an image outside data-qr")
    if len(actual) != len(predicted):
        problems.append(f"{len(predicted)} lines stamped where the layout has {len(actual)}")
    for (text, x, y), (want_text, want_x, want_y) in zip(predicted, actual, strict=False):
        if text != want_text or abs(x - want_x) > TOLERANCE_X or abs(y - want_y) > TOLERANCE_Y:
            problems.append(f"{text!r} at ({x:.1f}, {y:.1f}) where the layout has {want_text!r} "
                            f"at ({want_x:.1f}, {want_y:.1f})")
    return problems
