"""B2B meetings on a phone: a buyer finds a producer in the catalogue and asks for a meeting; the
producer accepts it from her private link. Nothing scrolls sideways."""

from forumapp.extensions import db
from forumapp.matchmaking.models import Meeting, MeetingRequest, Profile, ProfileEntry
from tests.matchmaking.helpers import b2b, forum, participant


def test_request_and_accept_a_meeting_on_a_phone(live_server, phone):
    event = forum("phone-b2b")
    producer = participant(event, "Әсел Нұрланқызы", "asel@example.kz", locale="kk")
    buyer = participant(event, "Иван Петров", "ivan@example.kz", locale="ru")
    db.session.add(Profile(event_id=event.id, registration_id=producer.id, organisation="«Жасампаз» консорциумы",
                           kind="consortium", languages=["kk", "ru"],
                           entries=[ProfileEntry(direction="offer", category="school_uniform", text="50 000")]))
    db.session.commit()

    def no_sideways_scroll():
        assert phone.evaluate("document.documentElement.scrollWidth > window.innerWidth") is False

    # The buyer joins from the private page of the registration.
    phone.goto(f"{live_server}/e/{event.slug}/r/{buyer.token}")
    phone.get_by_role("link", name="B2B-встречи: встречи с покупателями и партнёрами на форуме").click()
    phone.get_by_role("link", name="Присоединиться к B2B-встречам").click()
    phone.get_by_label("Организация").fill("Акимат, закупки")
    phone.get_by_label("Тип организации").select_option("buyer")
    phone.locator("#seeks-0-category").select_option("school_uniform")
    phone.locator("#seeks-0-text").fill("Школьная форма")
    no_sideways_scroll()
    phone.get_by_role("button", name="Сохранить").click()
    assert "Вы присоединились к B2B-встречам." in phone.content()
    # The suggestion explains itself; the buyer asks for a meeting.
    phone.get_by_role("link", name="Каталог участников").click()
    assert "Они предлагают: Школьная форма, вы это ищете" in phone.content()
    no_sideways_scroll()
    phone.get_by_role("link", name="«Жасампаз» консорциумы").first.click()
    phone.get_by_label("Ваше сообщение").fill("Обсудим заказ на 2018 год")
    phone.get_by_role("button", name="Пригласить на встречу").click()
    assert "Приглашение отправлено" in phone.content()

    # The producer opens her link (in Kazakh) and accepts.
    phone.goto(f"{live_server}{b2b(producer)}?lang=kk")
    assert "Обсудим заказ на 2018 год" in phone.content()
    no_sideways_scroll()
    phone.get_by_role("button", name="Қабылдау").click()
    assert "Сіз кездесуді қабылдадыңыз." in phone.content()
    db.session.expire_all()
    request = db.session.scalar(db.select(MeetingRequest))
    assert request.status == "accepted"
    assert db.session.scalar(db.select(Meeting)).request_id == request.id
