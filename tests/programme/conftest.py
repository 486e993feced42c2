"""A small published forum with halls, a track, people and items of several kinds."""

import pytest

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import Hall, ItemPerson, Track
from tests.conftest import make_event, make_item


@pytest.fixture
def small_forum():
    event = make_event()
    big = Hall(event=event, name={"ru": "Большой зал", "kk": "Үлкен зал", "en": "Main hall"}, capacity=300)
    small = Hall(event=event, name={"ru": "Малый зал", "en": "Small hall"}, capacity=40, position=1)
    track = Track(event=event, name={"ru": "Мода", "en": "Fashion"})
    zhasampaz = Organisation(name={"kk": "«Жасампаз» консорциумы", "en": "Zhasampaz consortium"}, kind="consortium")
    gulmira = Person(name={"kk": "Гүлмира Уақытова", "ru": "Гульмира Уахитова", "en": "Gulmira Uakhitova"},
                     organisation=zhasampaz)
    daulet = Person(name={"kk": "Даулет Бакберген", "en": "Daulet Bakbergen"})
    db.session.add_all([big, small, track, zhasampaz, gulmira, daulet])
    db.session.commit()
    opening = make_item(event, "Открытие форума", start="09:30", end="10:00", kind="opening", hall_id=big.id)
    round_table = make_item(event, "Круглый стол «Жасампаз»", start="10:00", end="11:30", kind="round_table",
                            hall_id=small.id, track_id=track.id)
    round_table.title = {**round_table.title, "kk": "«Жасампаз» дөңгелек үстелі"}
    cooperation = make_item(event, "<b>Bold</b> кооперация", start="12:00", end="13:00", kind="session",
                            hall_id=big.id, day=event.ends_on)
    draft = make_item(event, "Секретный черновик", start="14:00", end="15:00", status="draft", hall_id=big.id)
    db.session.add_all([
        ItemPerson(item=round_table, person=gulmira, role="moderator"),
        ItemPerson(item=cooperation, person=daulet, role="speaker"),
        ItemPerson(item=cooperation, person=gulmira, role="panelist", position=1),
    ])
    db.session.commit()
    return {"event": event, "items": [opening, round_table, cooperation], "draft": draft}
