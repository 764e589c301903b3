"""The conventions every answer keeps (contract §1, §6): headers, pages, no leaks, ids, timestamps, UTF-8.

Most checks here judge many answers at once (`each_answer`): a mismatch lists every broken answer by
the label of what was sent, each with its exchange, so one run shows every fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description

from support.http.client import API, REQUEST_ID, describe
from support.matchers.answers import (
    AnswerMatcher,
    IsProblem,
    ReportsHealth,
    json_body,
    json_object,
    media_type,
)
from support.matchers.api_description import DescribesItsInterface

# Signs of the platform's insides that no answer may show (the suite never sends any of them).
LEAK_MARKERS = (
    "Traceback", 'File "/', "site-packages", "dist-packages", ".py\", line", "SELECT ", "INSERT INTO",
    "UPDATE \"", "sqlalchemy", "sqlite3", "psycopg", "ORA-", "$argon2", "$2b$", "$2a$", "pbkdf2_", "/usr/lib/",
    "/home/", "node_modules", "Exception:", "java.lang.",
)
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
CLOCK_TOLERANCE = timedelta(minutes=20)
SEQUENCE_GAP = 1000  # ids closer than this, as numbers, are a counter (other runs may interleave)
JSON_MEDIA_TYPE = "application/json"


def all_of_them(faults: Iterable[str]) -> str:
    return "\n  ".join(faults)


# -- many answers at once -----------------------------------------------------------------------------
class EachAnswer(BaseMatcher[Mapping[str, httpx.Response]]):
    """Every labelled answer matches its matcher (one for all, or one per label); mismatches list them all."""

    def __init__(self, expected: AnswerMatcher | Mapping[str, AnswerMatcher]) -> None:
        self.expected = expected

    def _for(self, label: str) -> AnswerMatcher:
        return self.expected if isinstance(self.expected, AnswerMatcher) else self.expected[label]

    def broken(self, answers: Mapping[str, httpx.Response]) -> list[str]:
        return [f"{label}: {'; '.join(faults)}. {describe(answer)}" for label, answer in answers.items()
                if (faults := self._for(label).faults(answer))]

    def _matches(self, item: Any) -> bool:
        return isinstance(item, Mapping) and bool(item) and not self.broken(item)

    def describe_to(self, description: Description) -> None:
        if isinstance(self.expected, AnswerMatcher):
            description.append_text("every answer to be ").append_description_of(self.expected)
        else:
            description.append_text("every answer as expected for what was sent")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, Mapping) or not item:
            mismatch_description.append_text(f"there were no answers to judge: {item!r}")
            return
        broken = self.broken(item)
        mismatch_description.append_text(f"{len(broken)} of {len(item)} answers were not:\n  " + all_of_them(broken))


def each_answer(expected: AnswerMatcher | Mapping[str, AnswerMatcher]) -> EachAnswer:
    return EachAnswer(expected)


class EachBusinessAnswer(EachAnswer):
    """Every answer to a business request (under /api/v1) matches; the others are not judged."""

    def broken(self, answers: Mapping[str, httpx.Response]) -> list[str]:
        return super().broken({label: answer for label, answer in answers.items()
                               if answer.request.url.path.startswith(f"{API}/")})


def each_business_answer(expected: AnswerMatcher) -> EachBusinessAnswer:
    return EachBusinessAnswer(expected)


class RefusedInDueForm(EachAnswer):
    """Every request was refused (4xx), each refusal an RFC 9457 problem of the contract's form."""

    def __init__(self) -> None:
        super().__init__(IsProblem(None))

    def broken(self, answers: Mapping[str, httpx.Response]) -> list[str]:
        refused = [f"{label}: it was not refused, or the service failed. {describe(answer)}"
                   for label, answer in answers.items() if not 400 <= answer.status_code < 500]
        return refused + super().broken(answers)


# -- headers ---------------------------------------------------------------------------------------------
class EchoesReference(AnswerMatcher):
    """The request was marked with a reference (X-Request-ID) and the answer carries exactly that one."""

    def faults(self, answer: httpx.Response) -> list[str]:
        sent = answer.request.headers.get(REQUEST_ID)
        if not sent:
            return ["the request was not marked with a reference, so this answer proves nothing"]
        got = answer.headers.get(REQUEST_ID)
        return [] if got == sent else [f"X-Request-ID is {got!r}, not the {sent!r} the request was marked with"]

    def describe_to(self, description: Description) -> None:
        description.append_text("an answer carrying the X-Request-ID its request was marked with")


class CarriesFreshReference(AnswerMatcher):
    """The request carried no X-Request-ID and the answer carries one of its own."""

    def faults(self, answer: httpx.Response) -> list[str]:
        if REQUEST_ID in answer.request.headers:
            return ["the request was marked with a reference, so this answer proves nothing"]
        got = answer.headers.get(REQUEST_ID, "").strip()
        return [] if got else ["there is no X-Request-ID"]

    def describe_to(self, description: Description) -> None:
        description.append_text("an answer carrying an X-Request-ID of its own")


class FreshReferences(EachAnswer):
    """Every answer carries a fresh X-Request-ID, and no two the same."""

    def __init__(self) -> None:
        super().__init__(CarriesFreshReference())

    def broken(self, answers: Mapping[str, httpx.Response]) -> list[str]:
        seen: dict[str, str] = {}
        twice = []
        for label, answer in answers.items():
            reference = answer.headers.get(REQUEST_ID, "").strip()
            if reference and reference in seen:
                twice.append(f"{label}: the reference {reference!r} was handed out before, to {seen[reference]}")
            seen.setdefault(reference, label)
        return super().broken(answers) + twice


class NotToBeSniffed(AnswerMatcher):
    def faults(self, answer: httpx.Response) -> list[str]:
        value = answer.headers.get("x-content-type-options", "").strip().lower()
        return [] if value == "nosniff" else [f"X-Content-Type-Options is {value or 'missing'}, not nosniff"]

    def describe_to(self, description: Description) -> None:
        description.append_text("an answer marked X-Content-Type-Options: nosniff")


class NotToBeStored(AnswerMatcher):
    def faults(self, answer: httpx.Response) -> list[str]:
        value = answer.headers.get("cache-control", "")
        directives = {part.strip().lower() for part in value.split(",")}
        return [] if "no-store" in directives else [f"Cache-Control is {value or 'missing'}, without no-store"]

    def describe_to(self, description: Description) -> None:
        description.append_text("an answer marked Cache-Control: no-store")


# -- answers of a given kind ------------------------------------------------------------------------------
class Accepted(AnswerMatcher):
    """A request read like any other: the status a sound request gets (and every row of an upload kept)."""

    def __init__(self, status: int, *, rows: int | None = None) -> None:
        self.status, self.rows = status, rows

    def faults(self, answer: httpx.Response) -> list[str]:
        if answer.status_code != self.status:
            return [f"the status is {answer.status_code}, not {self.status}"]
        body = json_object(answer)
        kept = body.get("row_count", len(body["results"]) if isinstance(body.get("results"), list) else None)
        if self.rows is not None and kept != self.rows:
            return [f"{kept!r} rows were kept of the {self.rows} sent"]
        return []

    def describe_to(self, description: Description) -> None:
        rows = f" keeping all {self.rows} rows" if self.rows is not None else ""
        description.append_text(f"a {self.status} answer{rows}")


class ServedPage(AnswerMatcher):
    """A 200 list page `{items, page, page_size, total}` for the page and size asked."""

    def __init__(self, page: int, size: int) -> None:
        self.page, self.size = page, size

    def faults(self, answer: httpx.Response) -> list[str]:
        if answer.status_code != 200:
            return [f"the status is {answer.status_code}, not 200"]
        return page_faults(json_body(answer), self.page, self.size)

    def describe_to(self, description: Description) -> None:
        description.append_text(f"page {self.page} of size {self.size} with items, page, page_size and total")


def page_faults(body: Any, page: int, size: int) -> list[str]:
    if not isinstance(body, dict):
        return ["the page is not a JSON object"]
    faults = [f"{key} is {body.get(key)!r}, not {value}" for key, value in (("page", page), ("page_size", size))
              if body.get(key) != value or isinstance(body.get(key), bool)]
    items, total = body.get("items"), body.get("total")
    if not isinstance(items, list) or len(items) > size:
        faults.append(f"items is not a list of at most {size}")
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        faults.append(f"total is {total!r}, not a count")
    elif isinstance(items, list) and len(items) > max(total - (page - 1) * size, 0):
        faults.append(f"{len(items)} items on page {page} of {size} when there are {total} in all")
    return faults


class ReportsReadiness(ReportsHealth):
    """A 200 readiness answer: status "ready" and the object of checks it made."""

    def __init__(self) -> None:
        super().__init__("ready")

    def faults(self, answer: httpx.Response) -> list[str]:
        checks = json_object(answer).get("checks")
        return super().faults(answer) + ([] if isinstance(checks, dict) else [f"checks is {checks!r}, not an object"])

    def describe_to(self, description: Description) -> None:
        description.append_text('a 200 answer saying status "ready" with an object of checks')


class DescribesInterface(DescribesItsInterface):
    """A valid OpenAPI document (`support.matchers.api_description`) whose paths include business places."""

    def faults(self, answer: httpx.Response) -> list[str]:
        paths = json_object(answer).get("paths")
        business = isinstance(paths, dict) and any(str(path).startswith(f"{API}/") for path in paths)
        return super().faults(answer) + ([] if business else [f"its paths name no business place under {API}"])

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a valid OpenAPI document describing the service's places under {API}")


class TellsName(AnswerMatcher):
    """A JSON answer, in UTF-8, whose `name` is exactly `name`."""

    def __init__(self, name: str) -> None:
        self.name = name

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = []
        kind = answer.headers.get("content-type", "")
        charset = re.search(r"charset=\"?([\w-]+)", kind, re.IGNORECASE)
        if media_type(answer) != JSON_MEDIA_TYPE:
            faults.append(f"the content type is {kind or 'missing'}, not {JSON_MEDIA_TYPE}")
        if charset and charset.group(1).lower().replace("_", "-") != "utf-8":
            faults.append(f"the answer is in {charset.group(1)}, not UTF-8")
        try:
            answer.content.decode("utf-8")
        except UnicodeDecodeError:
            return [*faults, "the body is not UTF-8"]
        told = json_object(answer).get("name")
        if told != self.name:
            faults.append(f"the name is {told!r}, not {self.name!r}")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a UTF-8 JSON answer naming {self.name!r}")


# -- lists: pages, order, totals ------------------------------------------------------------------------
@dataclass
class ListRead:
    """A list read page by page (`pages`) and whole (`whole`), and the ids a scenario made in it, in order."""

    words: str
    size: int
    pages: list[httpx.Response]
    whole: list[dict[str, Any]]
    made: list[str] = field(default_factory=list)
    moment: str = "created_at"
    at_least: int = 0


def list_faults(read: ListRead) -> list[str]:
    """What is wrong with the paging and the order of one list."""
    faults: list[str] = []
    seen: list[Any] = []
    totals = set()
    for number, answer in enumerate(read.pages, start=1):
        broken = ServedPage(number, read.size).faults(answer)
        faults += [f"page {number}: {fault}. {describe(answer)}" for fault in broken]
        body = json_object(answer)
        totals.add(body.get("total"))
        seen += [item.get("id") for item in body.get("items", []) if isinstance(item, dict)]
    whole = [item.get("id") for item in read.whole]
    if seen != whole:
        faults.append(f"the pages hold {seen}, not the whole list {whole} in the same order")
    if totals != {len(whole)}:
        faults.append(f"the pages tell totals {sorted(map(str, totals))}, the list holds {len(whole)}")
    if len(set(whole)) != len(whole):
        faults.append(f"a record is listed twice: {whole}")
    keys = [(moment_of(item.get(read.moment)), str(item.get("id"))) for item in read.whole]
    if keys != sorted(keys):
        shown = [(item.get(read.moment), item.get("id")) for item in read.whole]
        faults.append(f"not oldest first by {read.moment}, then id: {shown}")
    if [item for item in whole if item in read.made] != read.made:
        faults.append(f"the records made in the order {read.made} are listed as {whole}")
    if len(whole) < read.at_least:
        faults.append(f"the list holds {len(whole)} records, fewer than the {read.at_least} made")
    return [f"{read.words}: {fault}" for fault in faults]


class ListsOldestFirst(BaseMatcher[Sequence[ListRead]]):
    """Every list comes in the pages asked for, each record once, oldest first, with the right total."""

    def _matches(self, item: Any) -> bool:
        return bool(item) and not [fault for read in item for fault in list_faults(read)]

    def describe_to(self, description: Description) -> None:
        description.append_text("every list in pages of the size asked, each record once, oldest first, with the total")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        faults = [fault for read in item or [] for fault in list_faults(read)] or ["no list was read"]
        mismatch_description.append_text("\n  " + all_of_them(faults))


# -- what no answer may show --------------------------------------------------------------------------------
def leaks(response: httpx.Response, others: Iterable[str] = ()) -> list[str]:
    """The markers of the platform's insides, or of `others` (another tenant's data), that the answer shows."""
    text = response.text
    return [marker for marker in (*LEAK_MARKERS, *others) if marker and marker in text]


# -- ids and timestamps ---------------------------------------------------------------------------------------
def looks_sequential(first: str, second: str) -> bool:
    """Two ids that differ only by a counter: decimal or hexadecimal numbers close together after a shared prefix."""
    prefix = 0
    while prefix < min(len(first), len(second)) and first[prefix] == second[prefix]:
        prefix += 1
    # back up to the start of the number the two ids share
    while prefix > 0 and first[prefix - 1].isalnum():
        prefix -= 1
    tails = (first[prefix:], second[prefix:])
    for base in (10, 16):
        try:
            a, b = (int(tail, base) for tail in tails)
        except ValueError:
            continue
        if abs(b - a) < SEQUENCE_GAP:
            return True
    return False


def id_faults(kind: str, first: Any, second: Any) -> list[str]:
    """What is wrong with two ids made one right after the other (contract §1: opaque, non-sequential)."""
    if not isinstance(first, str) or not isinstance(second, str) or not first or not second:
        return [f"{kind}: the ids {first!r} and {second!r} are not both texts"]
    if first == second:
        return [f"{kind}: two records share the id {first!r}"]
    if looks_sequential(first, second):
        return [f"{kind}: the ids {first!r} and {second!r} count up, so the next one can be guessed"]
    return []


def moment_of(value: Any) -> datetime:
    """An RFC 3339 time as a moment to compare (one that is not a time sorts first, and is reported elsewhere)."""
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def timestamp_fault(name: str, value: Any, *, now: datetime | None = None) -> str | None:
    if not isinstance(value, str) or not RFC3339_UTC.match(value):
        return f"{name} is {value!r}, not an RFC 3339 UTC time ending in Z"
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    now = now or datetime.now(UTC)
    if abs(moment - now) > CLOCK_TOLERANCE:
        return f"{name} is {value}, which is not the present moment in UTC (now {now:%Y-%m-%dT%H:%M:%SZ})"
    return None


# -- versions ---------------------------------------------------------------------------------------------
class TellsItsVersion(BaseMatcher[httpx.Response]):
    """The answer's ETag is its body's `version`, quoted as the contract writes it: `ETag: "<version>"`."""

    def _matches(self, item: Any) -> bool:
        return isinstance(item, httpx.Response) and self._fault(item) is None

    @staticmethod
    def _fault(answer: httpx.Response) -> str | None:
        body = json_body(answer)
        version = body.get("version") if isinstance(body, dict) else None
        if not isinstance(version, int):
            return f"its body tells no version ({version!r})"
        tag = answer.headers.get("etag")
        return None if tag == f'"{version}"' else f'its ETag is {tag!r}, not "{version}"'

    def describe_to(self, description: Description) -> None:
        description.append_text('an answer whose ETag is its version, quoted ("<version>")')

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, httpx.Response):
            mismatch_description.append_text(f"got {item!r}, which is not an HTTP answer")
            return
        mismatch_description.append_text(f"{self._fault(item)}: {describe(item)}")


def tells_its_version() -> TellsItsVersion:
    return TellsItsVersion()


# -- moments ------------------------------------------------------------------------------------------------
class IsMoment(BaseMatcher[Any]):
    """An RFC 3339 UTC time (`...Z`) naming the instant `expected`, or (None) a moment near the suite's clock."""

    def __init__(self, expected: str | None) -> None:
        self.expected = expected

    def _matches(self, item: Any) -> bool:
        if timestamp_fault("the time", item, now=_instant(self.expected) if self.expected else None) is not None:
            return False
        return self.expected is None or _instant(item) == _instant(self.expected)

    def describe_to(self, description: Description) -> None:
        what = f"the instant {self.expected}" if self.expected else "the present moment"
        description.append_text(f"an RFC 3339 UTC time (ending in Z) naming {what}")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def is_moment(expected: str) -> IsMoment:
    """The value names the same instant as `expected` ("2024-05-02T09:30:00Z"), in RFC 3339 UTC form."""
    return IsMoment(expected)


def is_recent_moment() -> IsMoment:
    """The value is an RFC 3339 UTC time within the clock tolerance of now."""
    return IsMoment(None)
class Faultless(BaseMatcher[Sequence[str]]):
    """A list of faults (plain sentences, each quoting its exchange) that must be empty."""

    def __init__(self, what: str) -> None:
        self.what = what

    def _matches(self, item: Any) -> bool:
        return isinstance(item, Sequence) and not item

    def describe_to(self, description: Description) -> None:
        description.append_text(self.what)

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text("\n  " + all_of_them(map(str, item)))


def faultless(what: str) -> Faultless:
    return Faultless(what)


class OneOf(AnswerMatcher):
    """An answer that matches one of several matchers (where the contract leaves the choice open)."""

    def __init__(self, *matchers: AnswerMatcher) -> None:
        self.matchers = matchers

    def faults(self, answer: httpx.Response) -> list[str]:
        found = [matcher.faults(answer) for matcher in self.matchers]
        return [] if any(not faults for faults in found) else [" or ".join("; ".join(f) for f in found)]

    def describe_to(self, description: Description) -> None:
        description.append_list("one of ", " or ", "", self.matchers)


# -- audit trails (contract §4: each service keeps its own) ---------------------------------------------------
AUDIT_MEMBERS = ("id", "occurred_at", "actor_id", "action", "resource_type", "resource_id", "outcome", "request_id")
OUTCOMES = ("success", "denied")


@dataclass(frozen=True)
class ExpectedEvents:
    """`times` events of a trail with these members (None: any); each caused by one of `caused_by` when given.

    With `request_id`, the events of that one request are selected, and each must have the other members.
    """

    what: str
    times: int
    outcome: str
    actor_id: str | None = None
    resource_id: str | None = None
    action: str | None = None
    request_id: str | None = None
    caused_by: frozenset[str] = frozenset()

    def members(self) -> dict[str, str | None]:
        return {"outcome": self.outcome, "actor_id": self.actor_id, "resource_id": self.resource_id,
                "action": self.action}

    def selects(self, event: Mapping[str, Any]) -> bool:
        if self.request_id is not None:
            return event.get("request_id") == self.request_id
        return all(value is None or event.get(key) == value for key, value in self.members().items())

    def faults(self, event: Mapping[str, Any]) -> list[str]:
        wrong = [f"its {key} is {event.get(key)!r}, not {value!r}" for key, value in self.members().items()
                 if value is not None and event.get(key) != value]
        if self.caused_by and event.get("request_id") not in self.caused_by:
            wrong.append(f"its request_id {event.get('request_id')!r} is none of the requests that made the change")
        return wrong + event_faults(event)


def event_faults(event: Mapping[str, Any]) -> list[str]:
    """What is wrong with the form of one audit event."""
    faults = [f"it has no {member}" for member in AUDIT_MEMBERS if member not in event]
    faults += [f"its {member} is {event.get(member)!r}, not a text" for member in
               ("id", "action", "resource_type", "request_id") if not isinstance(event.get(member), str)
               or not event.get(member)]
    if event.get("outcome") not in OUTCOMES:
        faults.append(f"its outcome is {event.get('outcome')!r}, not success or denied")
    moment = timestamp_fault("its occurred_at", event.get("occurred_at"))
    return faults + ([moment] if moment else [])


def trail_faults(events: Sequence[Mapping[str, Any]], expected: Iterable[ExpectedEvents]) -> list[str]:
    """What the trail lacks, holds too often, or holds in the wrong form, of what was expected."""
    faults = []
    for expectation in expected:
        found = [event for event in events if expectation.selects(event)]
        if len(found) != expectation.times:
            faults.append(f"{expectation.what}: {len(found)} events instead of {expectation.times}: "
                          f"{[dict(event) for event in found]}")
        faults += [f"{expectation.what}: {fault} in {dict(event)}" for event in found
                   for fault in expectation.faults(event)]
    return faults


@dataclass(frozen=True)
class Search:
    """One server-side search of a trail: what it asked, what it answered, and the events it must (not) hold."""

    what: str
    member: str
    value: str
    answer: httpx.Response
    finds: frozenset[str]          # request ids whose events it must hold
    leaves_out: frozenset[str]     # request ids whose events it must not hold
    whole: tuple[Mapping[str, Any], ...] = ()


def search_faults(search: Search) -> list[str]:
    """A search holds only events with its value, among them those it names, and none of those it leaves out."""
    if search.answer.status_code != 200:
        return [f"{search.what}: {describe(search.answer)}"]
    items = [item for item in json_object(search.answer).get("items", []) if isinstance(item, dict)]
    held = {item.get("request_id") for item in items}
    exist = {event.get("request_id") for event in search.whole}
    faults = [f"the trail itself lacks the event of request {request_id}, so the search proves nothing"
              for request_id in (search.finds | search.leaves_out) - exist]
    faults += [f"it holds {dict(item)}, whose {search.member} is not {search.value!r}" for item in items
               if item.get(search.member) != search.value]
    faults += [f"it lacks the event of request {request_id}" for request_id in search.finds - held]
    faults += [f"it holds the event of request {request_id}, which it should leave out"
               for request_id in search.leaves_out & held]
    return [f"{search.what}: {fault} ({describe(search.answer)})" for fault in faults]
