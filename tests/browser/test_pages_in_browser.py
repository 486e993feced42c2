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
