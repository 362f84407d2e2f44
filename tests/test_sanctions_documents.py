"""The sanctions' Word documents open in LibreOffice: each converts to a PDF (slow, run
with the browser tests; skipped where LibreOffice is not installed)."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from ecogov.sanctions import documents, services
from ecogov.sanctions.models import Referral
from ecogov.sanctions.services import CommitmentInput, SummonsInput
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Kind

SOFFICE = shutil.which("soffice")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


def test_libreoffice_converts_each_document_to_pdf(personas, tmp_path):
    p = personas
    today = timezone.localdate()
    notice = services.notice_create(jurisdiction=p.district, title="关于对区城乡建设局的通报批评",
                                    facts="逾期未完成整改。", units=[p.construction], by=p.dora)  # fmt: skip
    services.notice_issue(notice, by=p.dora)
    talk = services.admonition_create(
        jurisdiction=p.district, title="约谈", convener=p.bureau, convener_position="分管副区长",
        held_at=timezone.now(), place="会议室", problems="滞后。",
        summoned=[SummonsInput(p.health, "李某")],
        commitments=[CommitmentInput(p.health, "完成排查", today + datetime.timedelta(days=9))],
        by=p.dora,
    )  # fmt: skip
    item = supervision.item_create(jurisdiction=p.district, kind=Kind.SPECIAL, title="清运",
                                   lead=p.construction, supervisor=p.bureau,
                                   deadline=today - datetime.timedelta(days=3), by=p.dora)  # fmt: skip
    referral = services.referral_create(jurisdiction=p.district, target=Referral.Target.JUDICIAL,
                                        units=[p.construction], reason="涉嫌犯罪",
                                        items=[item], by=p.dora)  # fmt: skip
    for name, data in (("notice", documents.notice_docx(notice)),
                       ("talk", documents.admonition_docx(talk)),
                       ("dossier", documents.dossier_docx(referral))):  # fmt: skip
        (tmp_path / f"{name}.docx").write_bytes(data)
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path),
         *(str(tmp_path / f"{n}.docx") for n in ("notice", "talk", "dossier"))],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    for name in ("notice", "talk", "dossier"):
        pdf = (tmp_path / f"{name}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and len(pdf) > 1000
