"""The demo ceremony: invented nominations for the industry leaders of the article, loaded twice."""

from forumapp.awards.models import Certificate, Laureate, Nomination
from forumapp.extensions import db
from forumapp.programme.models import ProgrammeItem


def test_demo_ceremony_has_laureates_certificates_and_public_results(runner, client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    counted = [db.session.scalar(db.select(db.func.count(m.id))) for m in (Nomination, Laureate, Certificate)]
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert [db.session.scalar(db.select(db.func.count(m.id))) for m in (Nomination, Laureate, Certificate)] == counted
    assert counted[0] == 3 and counted[1] >= 6 and counted[2] == counted[1]
    item = db.session.scalar(db.select(ProgrammeItem).filter_by(kind="award_ceremony"))
    page = client.get(f"/e/light-industry-forum-2016/awards/{item.id}?lang=ru").get_data(as_text=True)
    assert "Лучший отечественный производитель школьной формы" in page and "Гульмира Уахитова" in page
    assert "придумано для демо" in page.lower()
    certificate = db.session.scalar(db.select(Certificate).order_by(Certificate.serial))
    assert certificate.number == "LIF-2016-00001"
    assert "verify-status valid" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)
