"""Personas for tests, after healthchecks: everyone works in Chengzhong District except
Oscar, whose unit is in another district and who must be refused everywhere here.

- ada: administrator (back office)
- dora: dispatcher at 区生态环境局 (the ecology bureau)
- liam: liaison of 区城乡建设局
- lily: liaison of 区卫生健康局 (liam's neighbour: may not touch his unit's people)
- gary: grid worker of 总寨镇政府, on grid 总寨镇
- lena: leader at 区政府办公室
- ian: discipline inspector at 区纪委监委
- oscar: dispatcher at 城东区生态环境局, the outsider unit
The citizen is the anonymous client.
"""

from dataclasses import dataclass

from ecogov.accounts.models import Role, User
from ecogov.accounts.services import user_create
from ecogov.grid.models import Grid
from ecogov.grid.sample import grid_sample_load
from ecogov.org.models import Jurisdiction, Unit
from ecogov.org.sample import sample_load
from ecogov.org.selectors import unit_find
from ecogov.org.services import jurisdiction_ensure, unit_create
from ecogov.sources.catalog import ensure_default_types
from ecogov.sources.models import SourceType

PASSWORD = "Persona-password-2026"


@dataclass
class Personas:
    district: Jurisdiction
    outsider_district: Jurisdiction
    bureau: Unit
    construction: Unit
    health: Unit
    township: Unit
    outsider_unit: Unit
    grid: Grid
    ada: User
    dora: User
    liam: User
    lily: User
    gary: User
    lena: User
    ian: User
    oscar: User


def make_person(username: str, role: str, unit: Unit | None, **fields) -> User:
    return user_create(username=username, role=role, unit=unit, password=PASSWORD, **fields)


def make_personas() -> Personas:
    # A live-server test flushes the database after itself, the rows migrations wrote too.
    ensure_default_types(SourceType)
    district, _report = sample_load()
    city = district.parent
    outsider_district = jurisdiction_ensure(
        name="城东区", level=Jurisdiction.Level.COUNTY, parent=city, code="630102"
    )
    outsider_unit = unit_create(
        jurisdiction=outsider_district, name="区生态环境局", kind=Unit.Kind.DEPARTMENT
    )
    bureau = unit_find(district, "区生态环境局")
    construction = unit_find(district, "区城乡建设局")
    health = unit_find(district, "区卫生健康局")
    township = unit_find(district, "总寨镇政府")
    grid_sample_load(district)
    grid = Grid.objects.get(jurisdiction=district, name="总寨镇")
    grid.unit = township
    grid.save()
    gary = make_person("gary", Role.GRID_WORKER, township, name="Gary 网格员", phone="13800000003")
    gary.grids.add(grid)
    return Personas(
        district=district,
        outsider_district=outsider_district,
        bureau=bureau,
        construction=construction,
        health=health,
        township=township,
        outsider_unit=outsider_unit,
        grid=grid,
        ada=make_person("ada", Role.ADMINISTRATOR, None, name="Ada 管理员"),
        dora=make_person("dora", Role.DISPATCHER, bureau, name="Dora 调度员"),
        liam=make_person(
            "liam", Role.LIAISON, construction, name="Liam 联络员", phone="13800000001"
        ),
        lily=make_person("lily", Role.LIAISON, health, name="Lily 联络员", phone="13800000002"),
        gary=gary,
        lena=make_person(
            "lena", Role.LEADER, unit_find(district, "区政府办公室"), name="Lena 区长"
        ),
        ian=make_person(
            "ian", Role.INSPECTOR, unit_find(district, "区纪委监委"), name="Ian 监督员"
        ),
        oscar=make_person("oscar", Role.DISPATCHER, outsider_unit, name="Oscar 外区"),
    )
