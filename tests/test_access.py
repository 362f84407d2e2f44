"""The object-level rules of ecogov.access, persona by persona."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ecogov import access
from ecogov.access import CHANGE, MANAGE, VIEW
from ecogov.accounts.models import User
from ecogov.org.models import DutyItem, Jurisdiction, Unit


def test_everyone_in_the_district_sees_its_23_units_but_not_the_outsiders(personas):
    for user in (personas.dora, personas.liam, personas.gary, personas.lena, personas.ian):
        units = access.scope(user, Unit)
        assert units.count() == 23
        assert personas.outsider_unit not in units


def test_the_outsider_sees_only_his_own_district(personas):
    assert list(access.scope(personas.oscar, Unit)) == [personas.outsider_unit]
    assert not access.can(personas.oscar, VIEW, personas.bureau)
    assert not access.scope(personas.oscar, DutyItem).filter(unit__jurisdiction=personas.district)
    assert personas.district not in access.scope(personas.oscar, Jurisdiction)


def test_the_anonymous_public_sees_nothing_private(personas):
    anonymous = AnonymousUser()
    for model in (Unit, DutyItem, User, Jurisdiction):
        assert not access.scope(anonymous, model).exists()


def test_a_liaison_changes_only_the_contact_details_of_his_own_unit(personas):
    liam = personas.liam
    assert access.can(liam, CHANGE, personas.construction)
    assert not access.can(liam, MANAGE, personas.construction)
    assert not access.can(liam, CHANGE, personas.health)


def test_the_dispatcher_manages_the_units_of_her_district_only(personas):
    assert access.can(personas.dora, MANAGE, personas.construction)
    assert not access.can(personas.dora, VIEW, personas.outsider_unit)
    assert not access.can(personas.oscar, MANAGE, personas.construction)


def test_leaders_and_inspectors_read_but_do_not_change(personas):
    for user in (personas.lena, personas.ian, personas.gary):
        assert not access.scope(user, Unit, CHANGE).exists()
        assert not access.scope(user, DutyItem, MANAGE).exists()


def usernames(queryset):
    return set(queryset.values_list("username", flat=True))


def test_people_are_visible_by_unit_and_jurisdiction(personas):
    assert usernames(access.scope(personas.lily, User)) == {"lily"}
    assert "lily" not in usernames(access.scope(personas.liam, User))
    assert usernames(access.scope(personas.gary, User)) == {"gary"}
    district_people = {"dora", "liam", "lily", "gary", "lena", "ian"}
    for user in (personas.dora, personas.lena, personas.ian):
        assert usernames(access.scope(user, User)) == district_people
    assert usernames(access.scope(personas.oscar, User)) == {"oscar"}
    assert usernames(access.scope(personas.ada, User)) == district_people | {"ada", "oscar"}


def test_only_administrators_manage_people(personas):
    assert access.can(personas.ada, MANAGE, personas.liam)
    for user in (personas.dora, personas.liam, personas.lena, personas.ian):
        assert not access.can(user, MANAGE, personas.liam)


def test_a_grid_worker_sees_his_grid_and_a_dispatcher_all_grids_of_the_district(personas):
    Grid = type(personas.grid)
    mine = set(access.scope(personas.gary, Grid).values_list("name", flat=True))
    assert mine == {"总寨镇", "总寨镇第1网格", "总寨镇第2网格", "总寨镇第3网格", "总寨镇第4网格"}
    assert (
        access.scope(personas.dora, Grid).count()
        == Grid.objects.filter(jurisdiction=personas.district).count()
        == 34
    )
    assert not access.scope(personas.lily, type(personas.grid)).exists()
    assert not access.scope(personas.oscar, type(personas.grid)).exists()


def test_obtain_hides_what_may_not_be_seen_and_refuses_what_may_not_be_done(personas):
    with pytest.raises(Http404):
        access.obtain(personas.oscar, Unit, personas.bureau.pk)
    with pytest.raises(PermissionDenied):
        access.obtain(personas.liam, Unit, personas.health.pk, CHANGE)
    with pytest.raises(Http404):
        access.obtain(personas.liam, Unit, "not-a-number")
    assert (
        access.obtain(personas.liam, Unit, personas.construction.pk, CHANGE)
        == personas.construction
    )


def test_a_deactivated_account_sees_nothing(personas):
    personas.dora.is_active = False
    assert not access.scope(personas.dora, Unit).exists()


def test_history_is_for_administrators_and_inspectors(personas):
    assert access.can_see_history(personas.ada)
    assert access.can_see_history(personas.ian)
    for user in (personas.dora, personas.liam, personas.lena, personas.gary, AnonymousUser()):
        assert not access.can_see_history(user)
