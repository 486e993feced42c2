"""What changed between two snapshots of the public programme: new, moved, renamed, cancelled."""

from __future__ import annotations

from forumapp.releases.snapshot import ChangeKind, affecting_participants, diff, grouped


def entry(title="Пленарное заседание", start="2016-06-09T04:00:00", end="2016-06-09T05:00:00", hall_id=1,
          status="published", people=()):
    return {"title": {"ru": title}, "start": start, "end": end, "hall_id": hall_id, "hall": {"ru": f"Зал {hall_id}"},
            "status": status, "people": list(people)}


def snapshot(**items):
    return {"items": {key.removeprefix("i"): value for key, value in items.items()}}


def kinds(changes):
    return [(c.kind.value, c.item_id) for c in changes]


def test_the_same_programme_has_no_changes():
    same = snapshot(i1=entry(), i2=entry("Круглый стол", hall_id=2))
    assert diff(same, same) == []


def test_each_kind_of_change_is_found():
    before = snapshot(i1=entry(), i2=entry("Круглый стол"), i3=entry("Мастер-класс"), i4=entry("Показ"),
                      i5=entry("Секция"), i6=entry("Выставка"))
    after = snapshot(
        i1=entry(start="2016-06-09T06:00:00", end="2016-06-09T07:00:00"),  # another time
        i2=entry("Круглый стол", hall_id=2),  # another hall
        i3=entry("Мастер-класс «Войлок»"),  # another title
        i4=entry("Показ", status="cancelled"),  # cancelled, still in the feeds
        # i5 is gone from the public programme (deleted or back to draft)
        i6=entry("Выставка", people=[{"ru": "Гульмира"}]),  # people changed: not listed
        i7=entry("Нетворкинг"),  # new
    )
    changes = diff(before, after)
    # Within a group, in the order of (new) start times.
    assert kinds(changes) == [("new", 7), ("moved", 2), ("moved", 1), ("renamed", 3), ("cancelled", 4), ("cancelled", 5)]
    moved = changes[2]
    assert moved.old["start"] == "2016-06-09T04:00:00" and moved.new["start"] == "2016-06-09T06:00:00"
    assert changes[-1].new is None and changes[-1].entry["title"] == {"ru": "Секция"}


def test_an_item_both_moved_and_renamed_is_in_both_groups():
    changes = diff(snapshot(i1=entry()), snapshot(i1=entry("Новое название", hall_id=3)))
    assert kinds(changes) == [("moved", 1), ("renamed", 1)]
    assert [kind for kind, _ in grouped(changes)] == [ChangeKind.MOVED, ChangeKind.RENAMED]


def test_a_title_changed_only_in_blank_space_is_not_renamed():
    before = snapshot(i1={**entry(), "title": {"ru": "Открытие", "kk": ""}})
    after = snapshot(i1={**entry(), "title": {"ru": "Открытие "}})
    assert diff(before, after) == []


def test_the_first_version_lists_everything_as_new_and_a_cancelled_item_coming_back_is_new():
    assert kinds(diff(None, snapshot(i1=entry(), i2=entry(status="cancelled")))) == [("new", 1)]
    assert kinds(diff(snapshot(i1=entry(status="cancelled")), snapshot(i1=entry()))) == [("new", 1)]


def test_only_moved_and_cancelled_items_concern_their_participants():
    before = snapshot(i1=entry(), i2=entry(), i3=entry())
    after = snapshot(i1=entry(hall_id=9), i2=entry("Другое"), i3=entry(status="cancelled"), i4=entry())
    assert sorted(affecting_participants(diff(before, after))) == [1, 3]
