"""The demo forum gets a published B2B schedule with profiles from the source articles."""

from forumapp.extensions import db
from forumapp.matchmaking.models import MatchSession, Meeting, Profile
from forumapp.registration.models import Registration


def test_demo_has_b2b_meetings_and_loads_twice_without_duplicates(runner, client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count(MatchSession.id))) == 1
    names = set(db.session.scalars(db.select(Profile.organisation)))
    assert {"«Жасампаз» консорциумы", "НПП РК «Атамекен»", "«Казлегпром»"} <= names
    meetings = list(db.session.scalars(db.select(Meeting)))
    assert len(meetings) == 8 and all(m.is_placed and m.published_at for m in meetings)
    asel = db.session.scalar(db.select(Registration).filter_by(email="asel.demo@example.kz"))
    page = client.get(f"/e/{asel.event.slug}/r/{asel.token}/b2b").get_data(as_text=True)
    assert "Алматы қаласы білім басқармасы" in page and "АО «KAZNEX INVEST»" in page
