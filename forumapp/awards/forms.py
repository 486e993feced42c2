"""Organisers' forms: nominations, laureates, certificate designs."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from forumapp.awards.labels import PLACE_LABELS
from forumapp.awards.models import PLACES
from forumapp.awards.rendering import BUILTIN_DESIGNS, DesignError, TemplateTooDeep, _compile
from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm, SubForm, TranslatedField
from forumapp.media.forms import ImageField

DESIGN_LABELS = {"classic_landscape": _l("Classic diploma, A4 landscape"),
                 "formal_portrait": _l("Formal diploma, A4 portrait")}
LANGUAGE_CHOICES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English"), ("kk,ru", "Қазақша + Русский"),
                    ("ru,en", "Русский + English"), ("kk,en", "Қазақша + English")]


class NominationForm(BaseForm):
    title = TranslatedField(_l("Nomination"), required=True, max_length=300)
    description = TranslatedField(_l("Description"), textarea=True, max_length=3000)


class LaureateForm(BaseForm):
    person_id = SelectField(_l("Person"), coerce=int, choices=[])
    organisation_id = SelectField(_l("Organisation"), coerce=int, choices=[],
                                  description=_l("A person, an organisation, or a person on behalf of an organisation."))
    place = SelectField(_l("Place"), choices=[])
    citation = TranslatedField(_l("Citation"), textarea=True, max_length=2000)
    presenter_id = SelectField(_l("Presents the award"), coerce=int, choices=[])

    def __init__(self, *args, people=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        nobody = [(0, "—")]
        self.person_id.choices = nobody + [(p.id, p.display_name) for p in people]
        self.presenter_id.choices = nobody + [(p.id, p.display_name) for p in people]
        self.organisation_id.choices = nobody + [(o.id, o.display_name) for o in organisations]
        self.place.choices = [(place, PLACE_LABELS[place]) for place in PLACES]

    def validate_organisation_id(self, field):
        if not field.data and not self.person_id.data:
            raise ValidationError(_l("Choose a person, an organisation, or both."))


class SignatoryForm(SubForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    signature = StringField(_l("Signature image"), validators=[Optional(), Length(max=300)],
                            description=_l("A file in the media library, e.g. signatures/uakhitova.png"))
    signature_upload = ImageField(_l("Upload a signature image"), purpose="signatures")


def _compiles(form, field):
    if field.data and field.data.strip():
        try:
            _compile(field.data)
        except TemplateTooDeep as error:
            raise ValidationError(_l("The template is nested too deeply.")) from error
        except DesignError as error:
            raise ValidationError(_l("The template does not compile: %(error)s", error=str(error))) from error


COLOUR = Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("A colour like #8a3b12."))


class DesignForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    base = SelectField(_l("Design"), choices=[])
    languages = SelectField(_l("Languages"), choices=LANGUAGE_CHOICES)
    primary = StringField(_l("Main colour"), validators=[COLOUR])
    accent = StringField(_l("Accent colour"), validators=[COLOUR])
    text = StringField(_l("Text colour"), validators=[COLOUR])
    paper = StringField(_l("Paper colour"), validators=[COLOUR])
    text_award = TranslatedField(_l("Heading of award certificates"), max_length=120)
    text_intro_award = TranslatedField(_l("Line before the laureate's name"), max_length=200)
    text_participation = TranslatedField(_l("Heading of certificates of participation"), max_length=120)
    text_intro_participation = TranslatedField(_l("Line before the participant's name"), max_length=200)
    text_thanks = TranslatedField(_l("Heading of letters of thanks"), max_length=120)
    text_intro_thanks = TranslatedField(_l("Line before the name in letters of thanks"), max_length=200)
    logo = StringField(_l("Logo"), validators=[Optional(), Length(max=300)],
                       description=_l("A file in the media library, e.g. logos/association.png"))
    logo_upload = ImageField(_l("Upload a logo"), purpose="logos")
    background = StringField(_l("Background image"), validators=[Optional(), Length(max=300)])
    background_upload = ImageField(_l("Upload a background image"), purpose="certificates")
    signatories = FieldList(FormField(SignatoryForm), label=_l("Signatories"), min_entries=3, max_entries=3)
    custom_html = TextAreaField(_l("Own HTML (advanced)"), validators=[Optional(), Length(max=50000), _compiles],
                                description=_l("Leave empty to use the chosen design. Jinja with c (certificate) "
                                               "and d (design); only /static/ and /media/ files load."))
    custom_css = TextAreaField(_l("Own CSS (advanced)"), validators=[Optional(), Length(max=50000), _compiles])

    TEXT_KEYS = ("award", "intro_award", "participation", "intro_participation", "thanks", "intro_thanks")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.base.choices = [(key, DESIGN_LABELS[key]) for key in BUILTIN_DESIGNS]

    def load(self, design) -> None:
        for key in ("name", "base", "languages", "logo", "background", "custom_html", "custom_css"):
            getattr(self, key).data = getattr(design, key)
        colours = design.colours or {}
        for key in ("primary", "accent", "text", "paper"):
            getattr(self, key).data = colours.get(key)
        for key in self.TEXT_KEYS:
            getattr(self, f"text_{key}").process(None, (design.texts or {}).get(key) or {})
        for entry, signatory in zip(self.signatories.entries, design.signatories or [], strict=False):
            entry.form.name.data = signatory.get("name")
            entry.form.position.data = signatory.get("position")
            entry.form.signature.data = signatory.get("signature")

    def store_uploads(self) -> list:
        """Write the checked uploads in the storage (media/) and put their paths in the path fields.
        Returns what was stored, so the view can delete it if the save fails."""
        stored = []
        pairs = [(self.logo_upload, self.logo), (self.background_upload, self.background)]
        pairs += [(e.form.signature_upload, e.form.signature) for e in self.signatories.entries]
        for upload, path in pairs:
            image = upload.save()
            if image is not None:
                path.data = image.path
                stored.append(image)
        return stored

    def save(self, design) -> None:
        design.name, design.base, design.languages = self.name.data.strip(), self.base.data, self.languages.data
        design.colours = {key: getattr(self, key).data for key in ("primary", "accent", "text", "paper")}
        design.texts = {key: getattr(self, f"text_{key}").data for key in self.TEXT_KEYS
                        if getattr(self, f"text_{key}").data}
        design.logo = (self.logo.data or "").strip() or None
        design.background = (self.background.data or "").strip() or None
        design.signatories = [
            {"name": e.form.name.data.strip(), "position": (e.form.position.data or "").strip(),
             "signature": (e.form.signature.data or "").strip()}
            for e in self.signatories.entries if (e.form.name.data or "").strip()
        ]
        design.custom_html = (self.custom_html.data or "").strip() or None
        design.custom_css = (self.custom_css.data or "").strip() or None


class BulkLaureatesForm(BaseForm):
    """Many laureates at once (forumapp.awards.bulk): pasted, or a CSV/XLSX file."""

    nomination_id = SelectField(_l("Nomination for rows that name none"), coerce=int, choices=[])
    rows = TextAreaField(
        _l("Laureates, one a line"),
        validators=[Optional(), Length(max=400_000)],
        description=_l("Columns: nomination; person; organisation; place; citation. Copy them from a spreadsheet "
                       "(tabs), or separate them with semicolons."),
        render_kw={"rows": 10},
    )
    upload = FileField(_l("…or a CSV or Excel (.xlsx) file"))

    def __init__(self, *args, nominations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.nomination_id.choices = [(0, _l("— named in each row —"))] + [(n.id, n.display_title) for n in nominations]
