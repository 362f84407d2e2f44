"""The sample sanctions load once, through the services, and the command lists them."""

import json

from django.core.management import call_command

from ecogov.rectification.sample import rectification_sample_load
from ecogov.sanctions.dossier import dossier_of
from ecogov.sanctions.models import Admonition, CriticismNotice, Referral, Restriction
from ecogov.sanctions.sample import sanctions_sample_load
from ecogov.supervision.models import Kind


def test_the_sample_loads_once_and_the_command_lists_it(personas, capsys):
    rectification_sample_load(personas.district)
    assert sanctions_sample_load(personas.district) == 4
    assert sanctions_sample_load(personas.district) == 0
    notice = CriticismNotice.public_objects.get()
    assert notice.number.startswith("城环委通〔")
    talk = Admonition.objects.get()
    assert [c.item.kind for c in talk.commitments.all()] == [Kind.COMMITMENT] * 2
    restriction = Restriction.objects.get()
    assert restriction.jurisdiction.name == "总寨镇"
    referral = Referral.objects.get()
    assert referral.state == Referral.State.ACKNOWLEDGED
    item = referral.records.get().item
    assert item.colour == "red" and max(item.stage, item.raised) >= 1
    [history] = dossier_of(referral)
    assert history.late, history.clocks  # an overdue problem: the dossier says by how much
    call_command("sanctions", "list", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert sorted(row["kind"] for row in rows) == ["admonition", "notice", "referral",
                                                   "restriction"]  # fmt: skip
    call_command("sanctions", "list", "--as", "liam", "--kind", "referral")
    assert capsys.readouterr().out.strip() == "no sanctions"
    call_command("sanctions", "list", "--open", "--as", "lena")
    out = capsys.readouterr().out
    assert "总寨镇" in out and referral.number in out
