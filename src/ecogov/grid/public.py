"""What the public may see of the grid (seed 002 §三.(二) 五定 made public; §六 disclosure):
grid names and boundaries, the responsible unit, the people by role and name, and a
phone only where its owner agreed to publish it. Every field is chosen here, so that
nothing private reaches a public page by accident."""

from dataclasses import dataclass

from ecogov.grid.models import Grid, GridMember


@dataclass(frozen=True)
class PublicPerson:
    role: str
    name: str
    phone: str | None


@dataclass(frozen=True)
class PublicGrid:
    pk: int
    name: str
    level: int
    level_label: str
    unit: str | None
    parent: "PublicGrid | None"
    people: tuple[PublicPerson, ...]
    duties: str
    patrol_tasks: tuple[dict, ...]


def public_grid(grid: Grid) -> PublicGrid:
    members = (
        GridMember.objects.filter(grid=grid).select_related("user").order_by("role", "user__name")
    )
    return PublicGrid(
        pk=grid.pk,
        name=grid.name,
        level=grid.level,
        level_label=str(grid.get_level_display()),
        unit=grid.unit.name if grid.unit_id else None,
        parent=public_grid(grid.parent) if grid.parent_id else None,
        people=tuple(
            PublicPerson(
                role=str(member.get_role_display()),
                name=member.user.name or member.user.username,
                phone=member.user.phone if member.publish_phone and member.user.phone else None,
            )
            for member in members
        ),
        duties=grid.duties,
        patrol_tasks=tuple(task for task in grid.patrol_tasks if isinstance(task, dict)),
    )
