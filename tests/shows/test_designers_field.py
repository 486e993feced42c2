"""The collection form's designers are check boxes with the chosen ones first: the 4-row
multi-select hid what was chosen."""

import re

from tests.conftest import make_event
from tests.shows.helpers import make_brand, make_collection, make_person


def test_the_chosen_designers_are_shown_checked_and_first(admin_client):
    event = make_event()
    people = [make_person({"en": name}) for name in ("Aigul", "Bakyt", "Dana", "Yerlan")]
    collection = make_collection(event, make_brand("ZIBROO"), {"en": "Run Almaty"}, designers=[people[3], people[1]])
    html = admin_client.get(f"/manage/e/test-forum/collections/{collection.id}").get_data(as_text=True)
    boxes = re.findall(r'<input( checked)? id="designer_ids-\d+" name="designer_ids" type="checkbox" value="(\d+)"', html)
    assert [(bool(checked), int(value)) for checked, value in boxes] == [
        (True, people[1].id), (True, people[3].id), (False, people[0].id), (False, people[2].id)]
    assert '<select id="designer_ids"' not in html
