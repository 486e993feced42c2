"""The running-order arithmetic, called directly: start times, durations from looks, call times,
changeovers, and the overrun warning."""

from datetime import datetime
from zoneinfo import ZoneInfo

from forumapp.shows.services import compute_times, format_duration, segment_seconds

ALMATY = ZoneInfo("Asia/Almaty")


def at(hour, minute, second=0):
    return datetime(2016, 6, 10, hour, minute, second, tzinfo=ALMATY)


def test_an_explicit_duration_wins_over_looks():
    assert segment_seconds(270, 12, 40) == 270
    assert segment_seconds(None, 12, 40) == 480
    assert segment_seconds(None, 0, 40) == 0


def test_segments_follow_each_other_with_changeovers_and_calls():
    times = compute_times(
        at(17, 30), at(18, 30), [(None, 12), (270, 99), (None, 10)],
        seconds_per_look=45, call_minutes=30, changeover_seconds=30,
    )
    starts = [t.starts_at for t in times.timings]
    assert starts == [at(17, 30), at(17, 39, 30), at(17, 44, 30)]
    assert [t.ends_at for t in times.timings] == [at(17, 39), at(17, 44), at(17, 52)]
    assert [t.call_at for t in times.timings] == [at(17, 0), at(17, 9, 30), at(17, 14, 30)]
    assert [t.seconds for t in times.timings] == [540, 270, 450]
    assert [t.from_looks for t in times.timings] == [True, False, True]
    assert times.ends_at == at(17, 52) and not times.overruns
    assert times.spare_seconds == 38 * 60


def test_a_running_order_longer_than_the_slot_overruns():
    times = compute_times(at(10, 0), at(10, 20), [(None, 10), (600, 0), (None, 8)],
                          seconds_per_look=40, call_minutes=15)
    assert times.ends_at == at(10, 22)  # 400 + 600 + 320 seconds
    assert times.overruns and times.overrun_seconds == 120
    assert [t.overruns for t in times.timings] == [False, False, True]


def test_an_empty_running_order_ends_when_it_starts():
    times = compute_times(at(10, 0), at(11, 0), [], seconds_per_look=40, call_minutes=15)
    assert times.timings == [] and times.ends_at == at(10, 0) and not times.overruns


def test_durations_are_printed_as_minutes_and_seconds():
    assert format_duration(90) == "1:30"
    assert format_duration(3720) == "1:02:00"
