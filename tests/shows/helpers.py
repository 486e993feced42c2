"""Small factories for shows tests: brands, designers, collections, a show with segments."""

from __future__ import annotations

import io

import pypdf

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.shows.models import Collection, CollectionDesigner, CollectionShow, ShowSegment


def make_brand(name="Semiramide", kind="fashion_house", **fields) -> Organisation:
    brand = Organisation(name={"en": name, "ru": name, "kk": name}, kind=kind, **fields)
    db.session.add(brand)
    db.session.commit()
    return brand


def make_person(names: dict, organisation=None) -> Person:
    person = Person(name=names, organisation=organisation)
    db.session.add(person)
    db.session.commit()
    return person


def make_collection(event, brand, title: dict, *, looks=10, designers=(), categories=("womens",), **fields) -> Collection:
    collection = Collection(event_id=event.id, brand_id=brand.id, title=title, looks=looks, categories=list(categories),
                            **fields)
    collection.designer_links = [CollectionDesigner(person_id=p.id, position=n) for n, p in enumerate(designers)]
    db.session.add(collection)
    db.session.commit()
    return collection


def make_show(item, segments, *, call_minutes=30, seconds_per_look=40, changeover_seconds=0) -> CollectionShow:
    """segments: [(collection, explicit seconds or None)] in running order."""
    show = CollectionShow(item_id=item.id, call_minutes=call_minutes, seconds_per_look=seconds_per_look,
                          changeover_seconds=changeover_seconds)
    show.segments = [ShowSegment(collection_id=c.id, duration_seconds=d, position=n) for n, (c, d) in enumerate(segments)]
    db.session.add(show)
    db.session.commit()
    return show


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
