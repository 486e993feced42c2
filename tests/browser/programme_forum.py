"""The demo forum stretched to three days with parallel sessions, for the programme's browser
tests and screenshots: halls side by side, an exhibition all day in the foyer overlapping a
coffee break there, both tracks, people with organisations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from forumapp.directory.models import Person
from forumapp.extensions import db
from forumapp.programme.models import Event, ItemPerson, ProgrammeItem
from forumapp.timeutil import to_utc

SLUG = "light-industry-forum-2016"
DAY_2, DAY_3 = date(2016, 6, 11), date(2016, 6, 12)

# day, hall (English name), track (English name or None), kind, start, end, {kk, ru, en}
EXTRA = [
    (DAY_2, "Foyer", None, "exhibition", "09:00", "17:00",
     {"kk": "Отандық өндірушілер көрмесі", "ru": "Выставка отечественных производителей",
      "en": "Exhibition of domestic manufacturers"}),
    (DAY_2, "Main hall", "Industry and market", "plenary", "10:00", "11:30",
     {"kk": "Шикізат және импорт: пленарлық отырыс", "ru": "Сырьё и импорт: пленарное заседание",
      "en": "Raw materials and imports: plenary"}),
    (DAY_2, "Conference hall", "Industry and market", "round_table", "10:30", "12:00",
     {"kk": "Кадрлар даярлау бойынша дөңгелек үстел", "ru": "Круглый стол о подготовке кадров",
      "en": "Round table on training staff"}),
    (DAY_2, "Catwalk hall", "Fashion and collections", "collection_show", "11:00", "12:30",
     {"kk": "Жас дизайнерлер коллекциясы", "ru": "Коллекции молодых дизайнеров",
      "en": "Young designers' collections"}),
    (DAY_2, "Foyer", None, "break", "11:30", "12:00",
     {"kk": "Кофе-брейк", "ru": "Кофе-брейк", "en": "Coffee break"}),
    (DAY_2, "Main hall", "Industry and market", "panel", "12:00", "13:00",
     {"kk": "Кластерлік бастамалар: панельдік талқылау", "ru": "Кластерные инициативы: панельная дискуссия",
      "en": "Cluster initiatives: panel discussion"}),
    (DAY_2, "Conference hall", "Fashion and collections", "workshop", "13:00", "14:30",
     {"kk": "Өрнек пен пішін: шеберхана", "ru": "Орнамент и крой: мастер-класс", "en": "Ornament and cut: workshop"}),
    (DAY_3, "Main hall", "Industry and market", "session", "10:00", "11:00",
     {"kk": "Экспорт: тәжірибе алмасу", "ru": "Экспорт: обмен опытом", "en": "Export: sharing experience"}),
    (DAY_3, "Catwalk hall", "Fashion and collections", "collection_show", "10:30", "11:30",
     {"kk": "«Жасампаз» көрсетілімі", "ru": "Показ «Жасампаз»", "en": "The Zhasampaz show"}),
    (DAY_3, "Main hall", None, "award_ceremony", "12:00", "13:00",
     {"kk": "Форумның жабылуы", "ru": "Закрытие форума", "en": "Closing of the forum"}),
]


def build(runner) -> dict:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    event = db.session.scalars(db.select(Event).where(Event.slug == SLUG)).one()
    event.ends_on = DAY_3
    halls = {h.name["en"]: h for h in event.halls}
    tracks = {t.name["en"]: t for t in event.tracks}
    people = db.session.scalars(db.select(Person).where(Person.organisation_id.is_not(None)).order_by(Person.id)).all()
    added = {}
    for n, (day, hall, track, kind, start, end, title) in enumerate(EXTRA):
        starts = datetime.combine(day, datetime.strptime(start, "%H:%M").time())
        ends = datetime.combine(day, datetime.strptime(end, "%H:%M").time())
        item = ProgrammeItem(
            event=event, kind=kind, title=title, status="published", hall=halls[hall],
            track=tracks.get(track) if track else None,
            starts_at=to_utc(starts, event.timezone), ends_at=to_utc(ends, event.timezone),
        )
        if kind not in ("break", "exhibition") and people:
            item.people = [ItemPerson(person=people[n % len(people)], role="speaker")]
        db.session.add(item)
        added[title["en"]] = item
    db.session.commit()
    return {"event": event, "items": {k: v.id for k, v in added.items()}, "tracks": tracks, "halls": halls}


def local_instant(day: date, hhmm: str, timezone: str = "Asia/Almaty") -> datetime:
    """An instant of the event's local day as an aware UTC datetime (for the browser's clock)."""
    from datetime import UTC

    naive = to_utc(datetime.combine(day, datetime.strptime(hhmm, "%H:%M").time()), timezone)
    return naive.replace(tzinfo=UTC) + timedelta(0)
