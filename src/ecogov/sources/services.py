"""Writes to the pollution-source base, and its Excel exchange."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.grid.selectors import grid_chain
from ecogov.org.models import Jurisdiction
from ecogov.org.services import audited_save
from ecogov.sources.models import Source, SourceType
from ecogov.spreadsheets import cell_text, sheet_rows, table_workbook
from ecogov.standards.uscc import InvalidCode, validate

SOURCE_FIELDS = ("type", "name", "uscc", "address", "lon", "lat", "key", "status", "attributes")


def _locate(source: Source) -> None:
    """The source's grid: the most local grid containing its location."""
    if source.lon is None or source.lat is None:
        source.grid = None
        return
    chain = [
        grid
        for grid in grid_chain(float(source.lon), float(source.lat))
        if grid.jurisdiction_id == source.jurisdiction_id
    ]
    source.grid = chain[-1] if chain else None


@transaction.atomic
def source_save(
    *,
    source: Source | None = None,
    jurisdiction: Jurisdiction,
    by=None,
    reason: str = "",
    override: str = "",
    **fields,
) -> Source:
    """Create or change a source; the code is validated and the grid derived from the
    location. A new source (or a new credit code) of an enterprise on the blacklist is
    refused unless the dispatcher overrides the bar with ``override``, its reason."""
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    source = source or Source(jurisdiction=jurisdiction)
    previous_uscc = None if source.pk is None else Source.objects.get(pk=source.pk).uscc
    for key, value in fields.items():
        setattr(source, key, value)
    if source.uscc:
        try:
            source.uscc = validate(source.uscc)
        except InvalidCode as error:
            raise ValidationError({"uscc": str(error)}) from None
    if (source.lon is None) != (source.lat is None):
        raise ValidationError(_("Give both longitude and latitude, or neither."))
    _locate(source)
    granted = None
    if source.uscc and source.uscc != previous_uscc:
        from ecogov.enterprises.bar import require_clear
        from ecogov.enterprises.models import Override

        granted = require_clear(source.uscc, subject=Override.Subject.SOURCE, label=source.name,
                                by=by, override=override)  # fmt: skip
    audited_save(source, by=by, reason=reason)
    if granted is not None:
        granted.ref = f"source:{source.pk}"
        granted.save(update_fields=["ref"])
    return source


HEADER = (
    "名称",
    "类型",
    "统一社会信用代码",
    "地址",
    "经度",
    "纬度",
    "重点",
    "状态",
    "排污许可证编号",
)
STATUS_NAMES = {
    "运行": Source.Status.ACTIVE,
    "停产": Source.Status.SUSPENDED,
    "关闭": Source.Status.CLOSED,
}


def sources_workbook(sources) -> bytes:
    names = {value: name for name, value in STATUS_NAMES.items()}
    rows = (
        [
            source.name,
            source.type.name,
            source.uscc,
            source.address,
            float(source.lon) if source.lon is not None else None,
            float(source.lat) if source.lat is not None else None,
            "是" if source.key else "否",
            names[source.status],
            source.attributes.get("permit", ""),
        ]  # fmt: skip
        for source in sources
    )
    return table_workbook(
        sheet_title="污染源", header=HEADER, rows=rows, widths=(30, 14, 22, 36, 12, 12, 6, 8, 22)
    )


@dataclass
class SourceImport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


_text = cell_text


def _decimal(value, row: int, label: str, errors: list[str]):
    if _text(value) == "":
        return None
    try:
        number = Decimal(_text(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        errors.append(
            _("row %(row)d: %(label)s %(value)s is not a number")
            % {"row": row, "label": label, "value": _text(value)}
        )
        return None
    return number


@transaction.atomic
def sources_import(*, data: bytes, jurisdiction: Jurisdiction, by=None) -> SourceImport:
    """Create or update sources from a sheet laid out as ``sources_workbook``; all rows or none."""
    rows = sheet_rows(data)
    if not rows or tuple(_text(v) for v in rows[0][: len(HEADER)]) != HEADER:
        raise ValidationError(
            _("The first row must be the header %(header)s.") % {"header": "、".join(HEADER)}
        )
    types = {t.name: t for t in SourceType.objects.all()}
    existing = {s.name: s for s in Source.objects.filter(jurisdiction=jurisdiction)}
    errors: list[str] = []
    wanted = []
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row[: len(HEADER)]) + [None] * (len(HEADER) - len(row[: len(HEADER)]))
        if not any(_text(c) for c in cells):
            continue
        name, type_name, uscc = _text(cells[0]), _text(cells[1]), _text(cells[2])
        if not name:
            errors.append(_("row %(row)d: no name") % {"row": number})
            continue
        if type_name not in types:
            errors.append(
                _("row %(row)d: unknown type %(type)s") % {"row": number, "type": type_name or "—"}
            )
            continue
        if uscc:
            try:
                uscc = validate(uscc)
            except InvalidCode as error:
                errors.append(_("row %(row)d: %(error)s") % {"row": number, "error": error})
                continue
        status = STATUS_NAMES.get(_text(cells[7]) or "运行")
        if status is None:
            errors.append(_("row %(row)d: status must be 运行, 停产 or 关闭") % {"row": number})
            continue
        lon, lat = (
            _decimal(cells[4], number, "经度", errors),
            _decimal(cells[5], number, "纬度", errors),
        )
        fields = {
            "type": types[type_name], "name": name, "uscc": uscc, "address": _text(cells[3]),
            "lon": lon, "lat": lat, "key": _text(cells[6]) in ("是", "重点", "Y", "1"), "status": status,
        }  # fmt: skip
        permit = _text(cells[8])
        wanted.append((number, name, fields, permit))
    if errors:
        raise ValidationError(errors)
    result = SourceImport()
    for number, name, fields, permit in wanted:
        source = existing.get(name)
        attributes = dict(source.attributes) if source else {}
        if permit:
            attributes["permit"] = permit
        else:
            attributes.pop("permit", None)
        fields["attributes"] = attributes
        if source is not None and all(
            getattr(source, key) == value for key, value in fields.items()
        ):
            result.unchanged += 1
            continue
        try:
            source_save(
                source=source,
                jurisdiction=jurisdiction,
                by=by,
                reason=_("imported from Excel"),
                **fields,
            )
        except ValidationError as error:
            raise ValidationError(
                [f"row {number}: {message}" for message in error.messages]
            ) from None
        (result.updated if source else result.created).append(name)
    return result
