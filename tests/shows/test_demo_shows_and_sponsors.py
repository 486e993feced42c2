"""The demo forum's show, collections, sponsors and memberships, loaded twice without duplicates."""

from forumapp.directory.models import Organisation
from forumapp.extensions import db
from forumapp.programme.models import ProgrammeItem
from forumapp.shows.models import Collection, CollectionImage, ShowSegment
from forumapp.sponsors.models import Sponsor
from tests.shows.helpers import pdf_text


def counts():
    return [db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Collection, CollectionImage, ShowSegment, Sponsor, Organisation)]


def test_the_demo_has_the_show_its_collections_and_sponsors(runner, client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    first = counts()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert counts() == first
    assert first[:4] == [5, 15, 5, 7]

    slug = "light-industry-forum-2016"
    show = db.session.scalar(db.select(ProgrammeItem).filter_by(kind="collection_show"))
    html = client.get(f"/e/{slug}/shows/{show.id}?lang=en").get_data(as_text=True)
    positions = [html.index(name) for name in ("Kazlegprom", "MIMIORIKI", "Semiramide", "Aigul &amp; Line", "ZIBROO")]
    assert positions == sorted(positions)
    home = client.get(f"/e/{slug}/?lang=ru").get_data(as_text=True)
    partners = home[home.index('class="partners"'):]
    assert partners.index("Генеральный партнёр") < partners.index("Фонд «Даму»")
    for name in ("НПП РК «Атамекен»", "Акимат города Алматы", "АО «KAZNEX INVEST»", "Алматинский технологический университет"):
        assert name in partners
    leaflet = pdf_text(client.get(f"/e/{slug}/shows/{show.id}/leaflet.pdf?lang=kk").data)
    assert "Дала жолы" in leaflet and "Нұрлан Сейітов" in leaflet

    zhasampaz = next(o for o in db.session.scalars(db.select(Organisation)) if o.name["en"] == "Zhasampaz consortium")
    page = client.get(f"/organisations/{zhasampaz.id}?lang=en").get_data(as_text=True)
    assert "Kazlegprom" in page and "Association of light industry enterprises" in page and "Gulmira Uakhitova" in page
