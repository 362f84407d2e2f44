"""API of the enterprises: the record of one pollution source (企业档案), the same as
its page shows, to whoever may see the source."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema

from ecogov import access
from ecogov.apitypes import Id
from ecogov.enterprises.record import record_data, source_record
from ecogov.sources.models import Source

router = Router(tags=["enterprises"])
Events = Annotated[int, Field(ge=1, le=5000)]


class EnterpriseRecordPollutantOut(Schema):
    factor: str = ""
    name: str = ""
    limit: str = ""
    unit: str = ""
    tonnes: str = ""


class EnterpriseRecordPermitOut(Schema):
    id: int
    number: str
    management: str
    issuer: str
    issued_on: datetime.date | None
    valid_from: datetime.date
    valid_until: datetime.date
    revoked_on: datetime.date | None
    status: str
    pollutants: list[EnterpriseRecordPollutantOut]


class EnterpriseRecordPointOut(Schema):
    id: int
    name: str
    mn: str
    kind: str
    active: bool


class EnterpriseRecordQuarterOut(Schema):
    quarter: str
    start: datetime.date
    state: str
    reasons: list[str]
    checked_hours: int
    compliant_hours: int
    exceeded_hours: int
    compliance_rate: float | None
    patrols: int


class EnterpriseRecordCaseOut(Schema):
    id: int
    number: str
    channel: str
    category: str
    state: str
    registered_at: datetime.datetime
    verified_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    outcome: str
    decision_number: str
    penalty_amount: Decimal | None


class EnterpriseRecordPatrolOut(Schema):
    id: int
    patrolled_at: datetime.datetime
    finding: bool
    note: str
    case: str


class EnterpriseRecordProblemOut(Schema):
    id: int
    batch: str
    seq: int
    state: str
    closed_on: datetime.date | None
    case: str


class EnterpriseRecordListingOut(Schema):
    id: int
    decision_number: str
    ground: str
    listed_on: datetime.date
    bar_until: datetime.date
    removed_on: datetime.date | None
    in_force: bool


class EnterpriseRecordOverrideOut(Schema):
    id: int
    decision_number: str
    subject: str
    label: str
    reason: str
    at: datetime.datetime


class EnterpriseRecordCreditOut(Schema):
    """A published credit rating; ``standing`` is the grade after any credit repair."""

    period: str
    scheme: str
    total: Decimal
    grade: str
    standing: str
    vetoed: bool
    published_at: datetime.datetime | None


class EnterpriseRecordEventOut(Schema):
    day: datetime.date
    at: datetime.datetime | None
    kind: str
    text: str


class EnterpriseRecordOut(Schema):
    id: int
    name: str
    uscc: str
    address: str
    grid: str
    type: str
    key: bool
    status: str
    jurisdiction: str
    permits: list[EnterpriseRecordPermitOut]
    points: list[EnterpriseRecordPointOut]
    quarters: list[EnterpriseRecordQuarterOut]
    cases: list[EnterpriseRecordCaseOut]
    patrols: list[EnterpriseRecordPatrolOut]
    problems: list[EnterpriseRecordProblemOut]
    listings: list[EnterpriseRecordListingOut]
    overrides: list[EnterpriseRecordOverrideOut]
    credit: list[EnterpriseRecordCreditOut]
    timeline: list[EnterpriseRecordEventOut]
    timeline_total: int


@router.get("/sources/{source_id}/record", response=EnterpriseRecordOut)
def source_record_get(request, source_id: Id, events: Events = 100):
    """The record of one source: identity, permits, points, the 12-quarter compliance
    strip (``quarters``, oldest first), cases, patrols, rectification problems, blacklist
    history and the newest ``events`` of its timeline."""
    sources = Source.objects.select_related("type", "grid", "jurisdiction")
    source = access.obtain(request.user, sources, source_id)
    return record_data(source_record(source), events=events)
