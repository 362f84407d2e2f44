"""Sample blacklist and project register of Chengzhong District (FICTIONAL: each text
starts “（虚构示例）”, the credit code is made up with a valid check character).

The sample enterprise is the source ``ENTERPRISE`` with the credit code ``USCC``: three
cases against it ended with a penalty, verified by the bureau; it is on the blacklist by
``DECISION`` (a small PDF decision). Registering a construction project for ``USCC`` in
the browser (/enterprises/projects/new/) is refused with the listing's number and the
day the bar ends; a refused registration writes nothing, so nothing records it here. Two
ordinary projects are registered. Loading again adds nothing.
"""

import datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ecogov.cases import services as cases
from ecogov.cases.models import Case, Channel, Outcome
from ecogov.cases.sample import SampleCast, moment
from ecogov.enterprises import services
from ecogov.enterprises.models import Listing, Project
from ecogov.org.models import Jurisdiction
from ecogov.org.services import jurisdiction_ensure
from ecogov.sources.models import Source
from ecogov.sources.services import source_save
from ecogov.standards.uscc import check_character

ENTERPRISE = "（虚构示例）城中区宏达金属表面处理有限公司"
DECISION = "城环黑〔2026〕1号"
TOWNSHIP = "南川东路街道"
PROJECTS = (
    ("（虚构示例）南川东路社区卫生服务中心改扩建项目", "（虚构示例）西宁市城中区卫生健康局",
     "12630103MB000002", "approved", "城环审〔2026〕12号"),
    ("（虚构示例）南川东路雨污分流改造工程", "（虚构示例）西宁市城中区城乡建设局",
     "11630103MB000003", "registered", ""),
)  # fmt: skip


def fictional_uscc(first17: str) -> str:
    """A made-up code with its valid check character (GB 32100-2015)."""
    return first17 + check_character(first17)


USCC = fictional_uscc("91630103MA7HDJ0K1")


def sample_pdf(text: str = "Sample decision") -> bytes:
    """A small valid one-page PDF (ASCII text only)."""
    text = text.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )  # fmt: skip
    return bytes(out)


def sample_document(name: str = "decision.pdf", text: str = "Sample decision"):
    return SimpleUploadedFile(name, sample_pdf(text), content_type="application/pdf")


def violation_case(cast: SampleCast, source: Source, text: str, number: str,
                   at: datetime.datetime) -> Case:  # fmt: skip
    """A case against ``source`` ended with a penalty the bureau verified: registered,
    handled by the district's urban management bureau, reported, verified and closed."""
    lead = cast.unit("区城乡建设局")
    liaison = cast.liaison(lead)
    by = cast.dispatcher
    case = cases.case_register(jurisdiction=cast.district, channel=Channel.HOTLINE, text=text,
                               source=source, lead=lead, by=by, now=at)  # fmt: skip
    case = cases.case_accept(case, by=liaison, now=at + datetime.timedelta(hours=1))
    case = cases.case_start(case, by=liaison, now=at + datetime.timedelta(hours=2))
    case = cases.case_report(
        case, investigation="（虚构示例）现场检查确认超标排放。", measures="（虚构示例）责令停止违法行为，立案处罚。",
        outcome=Outcome.PENALTY, decision_number=number, penalty_amount="50000",
        by=liaison, now=at + datetime.timedelta(days=2),
    )  # fmt: skip
    case = cases.case_verify(case, confirmed=True, note="（虚构示例）复查属实。", by=by,
                             now=at + datetime.timedelta(days=3))  # fmt: skip
    return cases.case_close(case, by=by, now=at + datetime.timedelta(days=3, hours=1))


def _enterprise(district, cast) -> Source:
    source = Source.objects.filter(jurisdiction=district, uscc=USCC).first()
    if source is not None:
        return source
    source = (Source.objects.filter(jurisdiction=district, uscc="").exclude(lon=None)
              .order_by("pk").first())  # fmt: skip
    return source_save(source=source, jurisdiction=district, name=ENTERPRISE, uscc=USCC,
                       by=cast.dispatcher, reason="sample")  # fmt: skip


def enterprises_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    """The sample listing with its three cases and two ordinary projects; how many added."""
    today = today or timezone.localdate()
    if Listing.objects.filter(decision_number=DECISION).exists():
        return 0
    # Before anyone acts: a person's areas are read once and kept.
    township = jurisdiction_ensure(name=TOWNSHIP, level=Jurisdiction.Level.TOWNSHIP,
                                   parent=district)  # fmt: skip
    cast = SampleCast(district)
    by = cast.dispatcher
    with translation.override(settings.LANGUAGE_CODE):
        source = _enterprise(district, cast)
        found = list(Case.objects.filter(source=source, outcome__in=services.VIOLATIONS,
                                         state__in=services.DONE_STATES))  # fmt: skip
        for n in range(len(found), 3):
            start = today - datetime.timedelta(days=150 - 40 * n)
            found.append(violation_case(
                cast, source, f"（虚构示例）{source.address or ENTERPRISE}附近车间外排废水颜色发黄、"
                f"气味刺鼻，第{n + 1}次反映。", f"城环罚〔{start.year}〕{80 + n}号",
                moment(start, 9, 30)))  # fmt: skip
        listed = today - datetime.timedelta(days=20)
        services.listing_create(
            jurisdiction=district, uscc=USCC, name=source.name, source=source,
            ground=Listing.Ground.REPEATED, decision_number=DECISION, cases=found,
            grounds="（虚构示例）该企业一年内三次因超标排放水污染物被行政处罚，整改后仍反复违法，"
                    "依据《城中区环保“黑名单”管理办法》列入环保黑名单，两年内不得参与新项目。",
            files=[sample_document("decision.pdf", "Sample blacklisting decision - fictional")],
            listed_on=listed, by=by, at=moment(listed, 10, 0),
        )  # fmt: skip
        for n, (name, builder, stem, eia, number) in enumerate(PROJECTS):
            if Project.objects.filter(name=name).exists():
                continue
            day = today - datetime.timedelta(days=10 - n)
            services.project_register(
                jurisdiction=township, name=name, builder=builder,
                builder_uscc=fictional_uscc(stem + "X"), eia=eia, eia_number=number,
                address=f"（虚构示例）{TOWNSHIP}", by=by, on=day, at=moment(day, 11, 0),
            )  # fmt: skip
    return 1 + len(PROJECTS)
