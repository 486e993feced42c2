"""Participants through HTTP: opting in by the private link, what the catalogue shows and to
whom, explained suggestions, requests, answers and their e-mails in each one's language."""

from forumapp.extensions import db
from forumapp.matchmaking.models import Meeting, MeetingRequest, ProfileStatus
from tests.matchmaking.helpers import answer, b2b, forum, messages, opt_in, participant, request_meeting


def two_sides(client):
    event = forum()
    seller = participant(event, "Әсел Нұрланқызы", "asel@example.kz", locale="kk")
    buyer = participant(event, "Иван Петров", "ivan@example.kz", locale="ru")
    seller_profile = opt_in(client, seller, "Жасампаз", offers=[("school_uniform", "10 000 sets a year")])
    buyer_profile = opt_in(client, buyer, "Akimat procurement", kind="buyer", seeks=[("school_uniform", "Uniforms")])
    return event, seller, buyer, seller_profile, buyer_profile


def test_the_private_page_links_to_the_b2b_page_and_joining_makes_a_profile(client):
    event = forum()
    asel = participant(event, "Әсел Нұрланқызы", "asel@example.kz", locale="kk")
    page = client.get(f"/e/{event.slug}/r/{asel.token}").get_data(as_text=True)
    assert b2b(asel) in page
    assert "Join the B2B meetings" in client.get(b2b(asel)).get_data(as_text=True)
    profile = opt_in(client, asel, "Жасампаз", offers=[("school_uniform", "Sets")], seeks=[("fabrics", "Wool")])
    assert [(e.direction, e.category) for e in profile.entries] == [("offer", "school_uniform"), ("seek", "fabrics")]
    assert "Жасампаз" in client.get(b2b(asel)).get_data(as_text=True)


def test_a_profile_needs_at_least_one_offer_or_need(client):
    event = forum()
    asel = participant(event, "Әсел", "asel@example.kz")
    from tests.matchmaking.helpers import page_token

    response = client.post(b2b(asel) + "/profile", data={
        "csrf_token": page_token(client, b2b(asel) + "/profile"), "organisation": "X", "kind": "producer"})
    assert response.status_code == 400
    assert "at least one category" in response.get_data(as_text=True)


def test_nothing_is_visible_before_opting_in(client):
    event, seller, buyer, seller_profile, buyer_profile = two_sides(client)
    outsider = participant(event, "Outsider", "out@example.kz")
    assert client.get(b2b(outsider) + "/catalogue").status_code == 403
    assert client.get(f"{b2b(outsider)}/p/{seller_profile.id}").status_code == 403
    home = client.get(b2b(outsider)).get_data(as_text=True)
    assert "Жасампаз" not in home and "Akimat" not in home
    # Opted in, the catalogue shows the others (never oneself).
    catalogue = client.get(b2b(buyer) + "/catalogue").get_data(as_text=True)
    assert "Жасампаз" in catalogue and "Akimat procurement</a>" not in catalogue


def test_hidden_profiles_and_cancelled_registrations_drop_out_of_the_catalogue(client):
    event, seller, buyer, seller_profile, buyer_profile = two_sides(client)
    seller_profile.status = ProfileStatus.HIDDEN
    db.session.commit()
    assert "Жасампаз" not in client.get(b2b(buyer) + "/catalogue").get_data(as_text=True)
    assert client.get(f"{b2b(buyer)}/p/{seller_profile.id}").status_code == 404
    assert client.get(b2b(seller) + "/catalogue").status_code == 403  # hidden: cannot browse either
    seller_profile.status = ProfileStatus.VISIBLE
    buyer.status = "cancelled"
    db.session.commit()
    assert "Akimat" not in client.get(b2b(seller) + "/catalogue").get_data(as_text=True)
    assert client.get(b2b(buyer) + "/catalogue").status_code == 403


def test_profiles_of_another_event_are_not_reachable(client):
    event, seller, buyer, seller_profile, buyer_profile = two_sides(client)
    other = forum("other-forum")
    stranger = participant(other, "Stranger", "s@example.kz")
    stranger_profile = opt_in(client, stranger, "Elsewhere LLP", offers=[("school_uniform", "x")])
    assert client.get(f"{b2b(buyer)}/p/{stranger_profile.id}").status_code == 404
    assert "Elsewhere" not in client.get(b2b(buyer) + "/catalogue").get_data(as_text=True)


def test_suggestions_explain_the_match(client):
    event, seller, buyer, seller_profile, buyer_profile = two_sides(client)
    participant(event, "Nobody", "n@example.kz")
    page = client.get(b2b(buyer) + "/catalogue").get_data(as_text=True)
    assert "Suggested for you" in page
    assert "They offer School uniform, you seek it" in page
    assert "You offer School uniform, they seek it" in client.get(b2b(seller) + "/catalogue").get_data(as_text=True)


def test_catalogue_filters(client):
    event, seller, buyer, seller_profile, buyer_profile = two_sides(client)
    third = participant(event, "Third", "t@example.kz")
    opt_in(client, third, "Logistics Co", kind="other", offers=[("logistics", "Trucks")], regions="Shymkent")
    base = b2b(buyer) + "/catalogue"

    def names(query):
        page = client.get(base + query).get_data(as_text=True)
        return {n for n in ("Жасампаз", "Logistics Co") if n in page.split("Suggested for you")[-1].split("</form>")[-1]}

    assert names("") == {"Жасампаз", "Logistics Co"}
    assert names("?category=logistics") == {"Logistics Co"}
    assert names("?category=school_uniform&direction=seek") == set()
    assert names("?category=school_uniform&direction=offer") == {"Жасампаз"}
    assert names("?region=shym") == {"Logistics Co"}
    assert names("?kind=producer") == {"Жасампаз"}
    assert names("?q=trucks") == {"Logistics Co"}
    assert client.get(base + "?category=<script>&kind=x").status_code == 200
    assert client.get(base + "?q=%00").status_code == 400


def test_request_and_accept_by_the_private_link_with_mail_in_each_language(client):
    event, seller, buyer, seller_profile, buyer_profile = two_sides(client)
    response = request_meeting(client, buyer, seller_profile, "We buy 5 000 sets <b>now</b>")
    assert response.status_code == 302
    [mail] = messages("request_received", to="asel@example.kz")
    assert "Akimat procurement" in mail.body_text and "5 000 sets" in mail.body_text
    assert b2b(seller) in mail.body_text
    assert "сізбен" in mail.body_text and "кездескісі келеді" in mail.body_text  # in Kazakh, her language
    assert mail.subject == "Akimat procurement сізді Жеңіл өнеркәсіп форумы кездесуге шақырады"
    request = db.session.scalar(db.select(MeetingRequest))
    page = client.get(b2b(seller)).get_data(as_text=True)
    assert "&lt;b&gt;now&lt;/b&gt;" in page  # the message is escaped
    # Only the recipient answers: the requester's own link cannot accept.
    assert answer(client, buyer, request.id, "accept").status_code == 403
    assert answer(client, seller, request.id, "accept").status_code == 302
    db.session.expire_all()
    assert request.status == "accepted" and db.session.scalar(db.select(Meeting)).request_id == request.id
    [accepted] = messages("request_accepted", to="ivan@example.kz")
    assert "Жасампаз" in accepted.body_text
    # Answered once: a second answer is refused.
    assert answer(client, seller, request.id, "decline").status_code == 409


def test_decline_and_a_second_request_between_the_same_pair(client):
    event, seller, buyer, seller_profile, buyer_profile = two_sides(client)
    request_meeting(client, buyer, seller_profile)
    request = db.session.scalar(db.select(MeetingRequest))
    assert answer(client, seller, request.id, "decline").status_code == 302
    assert messages("request_declined", to="ivan@example.kz")
    assert db.session.scalar(db.select(Meeting)) is None
    # Either direction: one request per pair.
    assert request_meeting(client, seller, buyer_profile).status_code == 409
    assert request_meeting(client, buyer, seller_profile).status_code == 409


def test_someone_elses_request_is_missing(client):
    event, seller, buyer, seller_profile, buyer_profile = two_sides(client)
    request_meeting(client, buyer, seller_profile)
    request = db.session.scalar(db.select(MeetingRequest))
    third = participant(event, "Third", "t@example.kz")
    opt_in(client, third, "Third LLP", offers=[("export", "x")])
    assert answer(client, third, request.id, "accept").status_code == 404
    assert client.post(f"{b2b(third)}/requests/{request.id}", data={"answer": "accept"}).status_code in (400, 404)


def test_mail_is_in_the_recipients_language(client):
    event, seller, buyer, seller_profile, buyer_profile = two_sides(client)
    request_meeting(client, buyer, seller_profile)
    [to_kazakh] = messages("request_received")
    request = db.session.scalar(db.select(MeetingRequest))
    answer(client, seller, request.id, "accept")
    [to_russian] = messages("request_accepted")
    assert to_kazakh.to == "asel@example.kz" and to_russian.to == "ivan@example.kz"
    assert "принимает ваше приглашение" in to_russian.body_text
    assert "шақыруды өз бетіңізде қабылдаңыз" in to_kazakh.body_text.casefold()
