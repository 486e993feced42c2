"""Demo collections and the running order of the demo forum's collection show.

From the article: the forum closed with showings of collections of men's, women's, children's
wear, outerwear and sportswear by Kazakhstani producers Kazlegprom, MIMIORIKI, Semiramide,
Aigul & Line and ZIBROO. Invented for the demo (the article does not say): which brand showed
which category, the designers (one per brand, marked as invented in their notes), collection
titles, numbers of looks, music, notes and the timing settings. Logos and lookbook pictures are
placeholders drawn with Pillow at load time.
"""

from __future__ import annotations

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.media import placeholders
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.shows.models import Collection, CollectionDesigner, CollectionImage, ShowSegment
from forumapp.shows.services import renumber, show_for_item

INVENTED = "Invented for the demo: the source article names the brand, not its designers."

# brand (English name), colour, designer names, collection title, categories, looks, music, description
BRANDS = [
    ("Kazlegprom", (38, 70, 120),
     {"kk": "Нұрлан Сейітов", "ru": "Нурлан Сеитов", "en": "Nurlan Seitov"},
     {"kk": "Дала жолы", "ru": "Степной путь", "en": "Steppe Road"},
     ["mens", "outerwear"], 12, "Dombra Remix — demo track 1",
     {"kk": "Отандық матадан тігілген ерлер киімі мен сырт киім.",
      "ru": "Мужская и верхняя одежда из отечественных тканей.",
      "en": "Men's wear and outerwear cut from Kazakhstani fabric."}),
    ("MIMIORIKI", (214, 120, 40),
     {"kk": "Мирас Оразова", "ru": "Мирас Оразова", "en": "Miras Orazova"},
     {"kk": "Кішкентай көшпенділер", "ru": "Маленькие кочевники", "en": "Little Nomads"},
     ["childrens"], 10, "Children's choir — demo track 2",
     {"kk": "Мектепке және серуенге арналған балалар киімі.",
      "ru": "Детская одежда для школы и прогулок.",
      "en": "Children's clothes for school and play."}),
    ("Semiramide", (120, 40, 90),
     {"kk": "Сәуле Жанибекова", "ru": "Сауле Жанибекова", "en": "Saule Zhanibekova"},
     {"kk": "Алматы кеші", "ru": "Алматинский вечер", "en": "Almaty Evening"},
     ["womens"], 14, "Strings of Almaty — demo track 3",
     {"kk": "Кешкі және күнделікті әйелдер киімі.",
      "ru": "Женская вечерняя и повседневная одежда.",
      "en": "Women's evening and everyday wear."}),
    ("Aigul & Line", (30, 120, 110),
     {"kk": "Айгүл Темірбекова", "ru": "Айгуль Темирбекова", "en": "Aigul Temirbekova"},
     {"kk": "Тау желі", "ru": "Горный ветер", "en": "Mountain Wind"},
     ["womens", "outerwear"], 12, "Wind and piano — demo track 4",
     {"kk": "Әйелдерге арналған пальто мен сырт киім.",
      "ru": "Женские пальто и верхняя одежда.",
      "en": "Women's coats and outerwear."}),
    ("ZIBROO", (200, 40, 50),
     {"kk": "Данияр Ибраев", "ru": "Данияр Ибраев", "en": "Daniyar Ibrayev"},
     {"kk": "Жүгір, Алматы", "ru": "Беги, Алматы", "en": "Run Almaty"},
     ["sportswear"], 10, "Stadium beat — demo track 5",
     {"kk": "Спорт пен қала өміріне арналған киім.",
      "ru": "Одежда для спорта и города.",
      "en": "Clothes for sport and the city."}),
]


def _organisation(english_name: str) -> Organisation | None:
    for organisation in db.session.scalars(db.select(Organisation)):
        if (organisation.name or {}).get("en") == english_name:
            return organisation
    return None


def _person(names: dict, brand: Organisation) -> Person:
    for person in db.session.scalars(db.select(Person).filter_by(organisation_id=brand.id)):
        if (person.name or {}).get("en") == names["en"]:
            return person
    person = Person(
        name=names,
        organisation=brand,
        position={"kk": "Дизайнер (ойдан алынған)", "ru": "Дизайнер (придуман для демо)", "en": "Designer (invented)"},
        notes=INVENTED,
    )
    db.session.add(person)
    return person


def load(event: Event) -> None:
    item = db.session.scalar(db.select(ProgrammeItem).filter_by(event_id=event.id, kind="collection_show"))
    collections = []
    for english, colour, designer, title, categories, looks, music, description in BRANDS:
        brand = _organisation(english)
        if brand is None:
            continue
        brand.kind = "fashion_house"
        if not brand.logo:
            brand.logo = placeholders.logo(english, colour).path
        person = _person(designer, brand)
        collection = db.session.scalar(db.select(Collection).filter_by(event_id=event.id, brand_id=brand.id))
        if collection is None:
            collection = Collection(event_id=event.id, brand_id=brand.id)
            db.session.add(collection)
        collection.title, collection.description = title, description
        collection.season, collection.year = "autumn_winter", 2016
        collection.categories, collection.looks = categories, looks
        db.session.flush()
        if [link.person_id for link in collection.designer_links] != [person.id]:
            collection.designer_links = [CollectionDesigner(person_id=person.id, position=0)]
        if not collection.images:
            for number in (1, 2, 3):
                stored = placeholders.look(english, number, colour)
                collection.images.append(
                    CollectionImage(path=stored.path, width=stored.width, height=stored.height, position=number - 1,
                                    caption={"kk": f"{number}-образ", "ru": f"Образ {number}", "en": f"Look {number}"})
                )
        collections.append((collection, music))
    if item is None:
        return
    db.session.flush()
    show = show_for_item(item, create=True)
    show.call_minutes, show.seconds_per_look, show.changeover_seconds = 30, 45, 30
    present = {segment.collection_id for segment in show.segments}
    for collection, music in collections:
        if collection.id not in present:
            show.segments.append(
                ShowSegment(
                    collection_id=collection.id,
                    position=len(show.segments),
                    music=music,
                    notes={"kk": "Финалда дизайнер шығады.", "ru": "В финале выходит дизайнер.",
                           "en": "The designer walks out at the finale."},
                )
            )
    renumber(show)
