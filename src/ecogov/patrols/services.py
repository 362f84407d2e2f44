"""Recording patrols, what is due, and coverage."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.grid.models import Grid
from ecogov.org.services import audited_save
from ecogov.patrols.models import Finding, Patrol, PatrolPhoto
from ecogov.sources.models import Source
from ecogov.uploads import IMAGES, sniff

# How often a source is patrolled unless a grid's five fixes (定任务) say otherwise: seed
# 002 §三.(四) asks for regular patrols of every source; outfalls weekly and key sources
# monthly are this project's defaults, to be set per grid in its patrol_tasks.
DEFAULT_EVERY_DAYS = 90
TYPE_EVERY_DAYS = {"river_outfall": 7, "construction_site": 30, "hazardous_waste_unit": 30}
KEY_EVERY_DAYS = 30

# What a grid worker checks, from the duties of seed 000 (城管: 露天烧烤、餐厨垃圾、油烟;
# 城乡建设: 扬尘“10个100%”; 各镇办: 工业企业、排污口日常监管).
CHECKLISTS = {
    "restaurant": ("油烟净化设施正常运行", "餐厨废弃物规范处置", "无露天烧烤"),
    "construction_site": (
        "扬尘防控措施落实（“10个100%”）",
        "渣土车辆密闭运输",
        "非道路移动机械合规",
    ),
    "industrial_enterprise": ("治污设施正常运行", "无偷排、漏排", "危险废物规范贮存"),
    "river_outfall": ("无异常排放（颜色、气味）", "排污口标识规范"),
    "livestock_farm": ("粪污处理设施正常运行", "无粪污直排"),
    "medical_institution": ("医疗废物规范收集贮存", "污水处理设施正常运行"),
}
DEFAULT_CHECKLIST = ("现场无明显环境问题",)
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 8 * 1024 * 1024


def checklist_for(source: Source) -> tuple[str, ...]:
    return CHECKLISTS.get(source.type.code, DEFAULT_CHECKLIST)


def every_days(source: Source) -> int:
    """The patrol interval: the most local grid's 定任务 entry for the type (or for key
    sources), else the defaults."""
    grid = source.grid
    while grid is not None:
        for task in grid.patrol_tasks or []:
            if not isinstance(task, dict) or not isinstance(task.get("every_days"), int):
                continue
            if task.get("type") == source.type.code or (task.get("key") and source.key):
                return task["every_days"]
        grid = grid.parent
    default = TYPE_EVERY_DAYS.get(source.type.code, DEFAULT_EVERY_DAYS)
    # A key source is patrolled at least monthly; a weekly outfall stays weekly.
    return min(default, KEY_EVERY_DAYS) if source.key else default


@dataclass
class Due:
    source: Source
    last: datetime.date | None
    due_on: datetime.date
    overdue: bool


def patrols_due(user, *, today: datetime.date) -> list[Due]:
    """The user's sources, soonest due first; never-patrolled sources are due today."""
    sources = (
        access.scope(user, Source)
        .filter(status=Source.Status.ACTIVE)
        .select_related("type", "grid", "grid__parent", "grid__parent__parent")
    )
    # One row per source: the latest patrol, computed by the database.
    latest = (
        Patrol.objects.filter(source__in=sources)
        .values("source_id")
        .annotate(last=Max("patrolled_at"))
        .values_list("source_id", "last")
    )
    last = {source_id: timezone.localtime(moment).date() for source_id, moment in latest}
    due = []
    for source in sources:
        seen = last.get(source.pk)
        due_on = seen + datetime.timedelta(days=every_days(source)) if seen else today
        due.append(Due(source, seen, due_on, due_on < today))
    return sorted(due, key=lambda item: (item.due_on, item.source.name))


PATROLLING_ROLES = (Role.GRID_WORKER, Role.LIAISON, Role.DISPATCHER)


def may_patrol(user, source: Source) -> bool:
    """Grid workers and township officers record patrols of the sources of their grids."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role not in PATROLLING_ROLES and not access.is_admin(user):
        return False
    return access.scope(user, Source).filter(pk=source.pk).exists()


@transaction.atomic
def patrol_record(
    *,
    client_id,
    source: Source,
    worker,
    patrolled_at: datetime.datetime,
    lon=None,
    lat=None,
    checklist: dict | None = None,
    finding: bool = False,
    note: str = "",
    photos=(),
) -> tuple[Patrol, bool]:
    """Store a patrol once: a resubmission with the same client id returns the first.

    Returns (patrol, created). A finding is reported to the grid above the source's.
    """
    existing = Patrol.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.worker_id != worker.pk:
            raise PermissionDenied(_("This submission belongs to someone else."))
        return existing, False
    if worker.role not in PATROLLING_ROLES and not access.is_admin(worker):
        raise PermissionDenied(_("Only grid workers and township officers record patrols."))
    if not may_patrol(worker, source):
        raise PermissionDenied(_("This source is not in your grids."))
    return patrol_store(
        client_id=client_id, source=source, worker=worker, patrolled_at=patrolled_at, lon=lon,
        lat=lat, checklist=checklist, finding=finding, note=note, photos=photos,
    )  # fmt: skip


@transaction.atomic
def patrol_store(*, client_id, source: Source, worker, patrolled_at: datetime.datetime, lon=None,
                 lat=None, checklist: dict | None = None, finding: bool = False, note: str = "",
                 photos=()) -> tuple[Patrol, bool]:  # fmt: skip
    """Check and store a patrol whose recorder the caller has allowed (``patrol_record``:
    the grid's people; a joint enforcement campaign: its participating units)."""
    if source.grid is None:
        raise ValidationError(_("The source has no location in a grid; correct its file first."))
    if finding and not note.strip():
        raise ValidationError(_("Say what the problem is."))
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(count)d photos.") % {"count": MAX_PHOTOS})
    allowed = set(checklist_for(source))
    checklist = {item: bool(value) for item, value in (checklist or {}).items() if item in allowed}
    for photo in photos:
        if photo.size > MAX_PHOTO_BYTES:
            raise ValidationError(_("A photo may be at most 8 MB."))
        if sniff(photo) not in IMAGES:
            raise ValidationError(_("Photos must be JPEG, PNG or WebP images."))
    patrol = Patrol(
        client_id=client_id, source=source, grid=source.grid, worker=worker, patrolled_at=patrolled_at,
        lon=lon, lat=lat, checklist=checklist, finding=finding, note=note.strip(),
    )  # fmt: skip
    try:
        with transaction.atomic():
            audited_save(patrol, by=worker)
    except (IntegrityError, ValidationError) as error:
        # The same submission arrived twice at once (a retry racing the first send): the
        # other request stored it, and this one answers as if it had.
        if isinstance(error, ValidationError) and "client_id" not in getattr(
            error, "message_dict", {}
        ):
            raise
        return Patrol.objects.get(client_id=client_id), False
    for photo in photos:
        PatrolPhoto.objects.create(patrol=patrol, image=photo)
    if finding:
        upper = source.grid.parent or source.grid
        audited_save(Finding(patrol=patrol, to_grid=upper), by=worker)
    return patrol, True


def coverage(grids, *, start: datetime.date, end: datetime.date) -> dict[Grid, list[Source]]:
    """Per grid, the active sources nobody patrolled between start and end (inclusive)."""
    sources = Source.objects.filter(grid__in=grids, status=Source.Status.ACTIVE).select_related(
        "grid", "type"
    )
    patrolled = set(
        Patrol.objects.filter(
            source__in=sources, patrolled_at__date__gte=start, patrolled_at__date__lte=end
        ).values_list("source_id", flat=True)
    )
    missing: dict[Grid, list[Source]] = {}
    for source in sources.order_by("grid__name", "name"):
        if source.pk not in patrolled:
            missing.setdefault(source.grid, []).append(source)
    return missing
