"""The demo forum loads from the source articles, twice without duplicates."""

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import Event, ItemPerson, ProgrammeItem


def counts():
    return {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Event, Organisation, Person, ProgrammeItem, ItemPerson)}


def test_demo_loads_idempotently_and_is_public(runner, client):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.forumapp.kz" in first.output
    after_first = counts()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert "password" not in second.output, "the password is shown only when the account is created"
    assert counts() == after_first
    assert after_first["Event"] == 1 and after_first["ProgrammeItem"] >= 10

    home = client.get("/e/light-industry-forum-2016/?lang=kk").get_data(as_text=True)
    assert "Жеңіл өнеркәсіптің республикалық форумы" in home
    programme = client.get("/e/light-industry-forum-2016/programme?lang=kk").get_data(as_text=True)
    assert "Гүлмира Уақытова" in programme and "Даулет Бакберген" in programme
    kinds = set(db.session.scalars(db.select(ProgrammeItem.kind)))
    assert {"opening", "plenary", "session", "round_table", "award_ceremony", "collection_show", "break"} <= kinds
    names = {o.name["en"] for o in db.session.scalars(db.select(Organisation))}
    for name in ("Zhasampaz consortium", "Kazlegprom", "MIMIORIKI", "Semiramide", "Aigul & Line", "ZIBROO",
                 "Akimat of Almaty", "Fund \"Damu\"", "Almaty Technological University"):
        assert name in names
    event = db.session.scalar(db.select(Event))
    assert "invented" in event.description["en"]


def test_demo_programme_has_no_conflicts(runner):
    from forumapp.programme.services import event_items
    from forumapp.programme.warnings import schedule_warnings

    runner.invoke(args=["demo", "load"])
    event = db.session.scalar(db.select(Event))
    assert schedule_warnings(event_items(event)) == []
