"""A small published forum as visitors see it: two days, a track, halls, speakers with photos,
a round table with places, a show and an award ceremony (shared by the page and browser tests)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import FileStorage

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.media.images import prepare_image, store_image
from forumapp.programme.models import Hall, ItemPerson, Track
from tests.conftest import make_event, make_item
from tests.media import samples


@dataclass
class VisitorWorld:
    event: object
    speaker: object
    moderator: object
    drafts_only: object
    round_table: object
    plenary: object
    ceremony_item: object
    show_item: object
    draft_item: object
    track: object


def _photo() -> str:
    prepared = prepare_image(FileStorage(io.BytesIO(samples.png(200, 200)), filename="p.png"))
    return store_image(prepared, "photos").path


def build_visitor_world(slug="visitor-forum", *, one_day=False) -> VisitorWorld:
    from forumapp.awards.services import ceremony_for
    from tests.shows.helpers import make_brand, make_collection, make_show

    event = make_event(slug, ends_on=date(2016, 6, 9) if one_day else date(2016, 6, 10),
                       description={"en": "Two days on textiles.", "ru": "Два дня о текстиле."})
    big = Hall(event_id=event.id, name={"en": "Main hall", "ru": "Большой зал"}, position=0)
    small = Hall(event_id=event.id, name={"en": "Small hall", "ru": "Малый зал"}, position=1)
    track = Track(event_id=event.id, name={"en": "Exports", "ru": "Экспорт"}, color="#ffd23f")
    zhasampaz = Organisation(name={"en": "Zhasampaz consortium", "ru": "Консорциум «Жасампаз»"}, kind="consortium")
    db.session.add_all([big, small, track, zhasampaz])
    db.session.commit()
    speaker = Person(name={"en": "Gulmira Uakhitova", "ru": "Гульмира Уахитова", "kk": "Гүлмира Уақытова"},
                     position={"en": "Chair of the board", "ru": "Председатель правления"},
                     bio={"en": "Twenty years in the textile industry.\nFounded the consortium."},
                     organisation=zhasampaz, photo=_photo())
    moderator = Person(name={"en": "Daulet Bakbergen", "ru": "Даулет Бакберген"})
    drafts_only = Person(name={"en": "Secret Guest"})
    db.session.add_all([speaker, moderator, drafts_only])
    db.session.commit()
    second_day = event.ends_on
    plenary = make_item(event, "Пленарное заседание", start="10:00", end="11:30", hall_id=big.id, track_id=track.id)
    round_table = make_item(event, "Круглый стол «Экспорт»", start="12:00", end="13:00", hall_id=small.id,
                            kind="round_table", takes_signups=True, capacity=2, day=second_day)
    ceremony_item = make_item(event, "Церемония награждения", start="16:00", end="17:00", hall_id=big.id,
                              kind="award_ceremony", day=second_day)
    show_item = make_item(event, "Показ коллекций", start="18:00", end="19:00", hall_id=big.id,
                          kind="collection_show")
    draft_item = make_item(event, "Черновик", start="14:00", end="15:00", status="draft")
    db.session.add_all([
        ItemPerson(item_id=plenary.id, person_id=speaker.id, role="speaker", position=0),
        ItemPerson(item_id=plenary.id, person_id=moderator.id, role="moderator", position=1),
        ItemPerson(item_id=round_table.id, person_id=speaker.id, role="moderator", position=0),
        ItemPerson(item_id=draft_item.id, person_id=drafts_only.id, role="speaker", position=0),
    ])
    ceremony = ceremony_for(ceremony_item)
    ceremony.results_published = True
    db.session.commit()
    brand = make_brand()
    collection = make_collection(event, brand, {"en": "Steppe Evening"}, designers=[speaker])
    make_show(show_item, [(collection, None)])
    return VisitorWorld(event, speaker, moderator, drafts_only, round_table, plenary, ceremony_item, show_item,
                        draft_item, track)
