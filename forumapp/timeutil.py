"""Time: stored as naive UTC in the database, shown in the event's time zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_utc(local: datetime, tz: str) -> datetime:
    """A wall-clock time in `tz` as naive UTC."""
    return local.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC).replace(tzinfo=None)


def to_local(utc: datetime, tz: str) -> datetime:
    """Naive UTC as an aware datetime in `tz`."""
    return utc.replace(tzinfo=UTC).astimezone(ZoneInfo(tz))


def local_day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants at which a local calendar day starts and ends."""
    start = to_utc(datetime.combine(day, time.min), tz)
    end = to_utc(datetime.combine(day, time.max), tz)
    return start, end
