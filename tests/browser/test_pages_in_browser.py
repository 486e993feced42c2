"""Pages as a visitor's phone shows them."""

from tests.conftest import make_event


def test_language_switcher_on_a_phone(live_server, phone):
    make_event("phone-forum")
    phone.goto(f"{live_server}/")
    assert phone.locator("h2").first.inner_text() == "Форум лёгкой промышленности"
    phone.get_by_role("link", name="Қазақша").click()
    assert phone.locator("h2").first.inner_text() == "Жеңіл өнеркәсіп форумы"
    # The page fits the screen: nothing scrolls sideways.
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    # The choice is remembered on the next visit.
    phone.goto(f"{live_server}/")
    assert phone.locator("html").get_attribute("lang") == "kk"


def test_cancelling_on_the_private_page_asks_first(live_server, phone):
    """The question comes from a script of our own (the security policy blocks inline ones):
    answering no keeps the registration, yes cancels it."""
    from forumapp.extensions import db
    from tests.registration.checkin_factories import make_registration

    event = make_event("cancel-forum")
    registration = make_registration(event)
    errors = []
    phone.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    phone.goto(f"{live_server}/e/cancel-forum/r/{registration.token}")
    questions = []
    phone.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    phone.locator("button.danger").click()
    phone.wait_for_timeout(300)
    assert questions and "Отменить регистрацию?" in questions[0]
    db.session.expire_all()
    assert db.session.get(type(registration), registration.id).status == "confirmed"
    phone.once("dialog", lambda dialog: dialog.accept())
    with phone.expect_navigation():
        phone.locator("button.danger").click()
    db.session.expire_all()
    assert db.session.get(type(registration), registration.id).status == "cancelled"
    assert not [e for e in errors if "Content Security Policy" in e]
