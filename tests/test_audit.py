"""Every change to jurisdictions, units, duties and people is recorded: who, when, what."""

from ecogov.accounts.models import User
from ecogov.accounts.services import user_update
from ecogov.org.models import DutyItem, Jurisdiction, Unit, UnitName
from ecogov.org.services import duty_item_delete, unit_rename, unit_update
from ecogov.web.history import history_entries


def test_a_unit_change_records_who_and_what(personas):
    unit_update(unit=personas.construction, by=personas.dora, liaison="王五", reason="换届")
    record = Unit.history.filter(id=personas.construction.pk).first()
    assert record.history_user == personas.dora
    assert record.history_change_reason == "换届"
    (entry,) = [e for e in history_entries(personas.construction) if e["who"] == "Dora 调度员"]
    assert entry["changes"] == ["联络员: — → 王五"]


def test_a_rename_is_recorded_on_the_unit_and_its_names(personas):
    unit_rename(unit=personas.construction, new_name="区住房和城乡建设局", by=personas.ada)
    assert UnitName.history.filter(unit_id=personas.construction.pk, history_type="+").exists()
    changes = [c for e in history_entries(personas.construction) for c in e["changes"]]
    assert "名称: 区城乡建设局 → 区住房和城乡建设局" in changes


def test_a_deleted_duty_is_kept_in_the_history_forever(personas):
    item = personas.bureau.duties.first()
    pk, text = item.pk, item.text
    duty_item_delete(item=item, by=personas.dora, reason="职责调整")
    assert not DutyItem.objects.filter(pk=pk).exists()
    record = DutyItem.history.get(id=pk, history_type="-")
    assert (record.text, record.history_user) == (text, personas.dora)
    (entry,) = [e for e in history_entries(personas.bureau) if e["what"] == "删除"]
    assert entry["changes"] == [text] and entry["reason"] == "职责调整"


def test_changes_to_people_are_recorded_without_their_password(personas):
    user_update(user=personas.liam, by=personas.ada, phone="13900000000")
    record = User.history.filter(id=personas.liam.pk).first()
    assert record.phone == "13900000000" and record.history_user == personas.ada
    assert not hasattr(record, "password")


def test_jurisdictions_have_history(personas):
    assert Jurisdiction.history.filter(id=personas.district.pk, history_type="+").exists()
