"""The one LibreOffice runner: at most BAOCAO_MAX_CONVERSIONS conversions at once, across processes; its kept
profile; several files converted in one start."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from baocao import soffice
from baocao.config.env import EnvError

HOLD = """
import sys, time
from baocao import soffice
with soffice.conversion_slot(wait=5):
    print("held", flush=True)
    time.sleep(float(sys.argv[1]))
"""


@pytest.fixture
def own_slots(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The slots of this test only: the machine's are shared with every conversion running on it (other
    tests' workers, other suites), which would take a slot these tests count on finding free."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the holding process's temporary folder too
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


@pytest.mark.usefixtures("own_slots")
def test_another_process_holding_the_only_slot_makes_a_conversion_wait_then_give_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BAOCAO_MAX_CONVERSIONS", "1")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, "30"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(soffice.ConversionTimeout), soffice.conversion_slot(wait=0.5):
            pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    # The killed process's slot is free again (its lock went with it).
    with soffice.conversion_slot(wait=1) as slot:
        assert slot == 0


@pytest.mark.usefixtures("own_slots")
def test_two_slots_let_two_conversions_run_and_stop_the_third(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAOCAO_MAX_CONVERSIONS", "2")
    with soffice.conversion_slot(wait=1) as first, soffice.conversion_slot(wait=1) as second:
        assert {first, second} == {0, 1}
        with pytest.raises(soffice.ConversionTimeout), soffice.conversion_slot(wait=0.2):
            pass


def test_a_bad_setting_is_refused_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BAOCAO_MAX_CONVERSIONS", raising=False)
    assert soffice.max_conversions() == 2
    monkeypatch.setenv("BAOCAO_MAX_CONVERSIONS", "nhiều")
    with pytest.raises(EnvError, match="BAOCAO_MAX_CONVERSIONS='nhiều': phải là số nguyên"):
        soffice.max_conversions()
    monkeypatch.setenv("BAOCAO_MAX_CONVERSIONS", "0")
    with pytest.raises(EnvError, match="BAOCAO_MAX_CONVERSIONS=0: phải từ 1 trở lên"):
        soffice.max_conversions()


@pytest.mark.skipif(soffice.soffice_path() is None, reason="LibreOffice (soffice) is not installed")
def test_the_first_conversions_profile_is_kept_private_and_copied_and_files_share_a_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    real = soffice.soffice_path()
    assert real is not None
    # The real LibreOffice, each start counted.
    starts = tmp_path / "starts"
    command = str(tmp_path / "soffice-counted")
    Path(command).write_text(f'#!/bin/sh\necho start >> "{starts}"\nexec "{real}" "$@"\n')
    Path(command).chmod(0o755)
    template = soffice._profile_template(command)
    assert template is not None and not template.exists()
    assert soffice.convert(command, "Báo cáo quý I".encode(), ".txt", "pdf", 120).startswith(b"%PDF-")
    assert (template / "user" / "registrymodifications.xcu").is_file()
    assert template.parent.stat().st_mode & 0o777 == 0o700
    # Even the first start skipped LibreOffice's graphics self-test (0.8 s of CPU), which logs its results.
    assert "ooSetupLastVersion" in (template / "user" / "registrymodifications.xcu").read_text()
    assert not (template / "user" / "GraphicsRenderTests.log").exists()
    kept = (template / "user" / "registrymodifications.xcu").stat().st_mtime_ns
    # The next conversions work in a copy: the kept profile is neither moved nor written to. Three files in
    # one start; the one LibreOffice cannot read is tried again alone, and fails alone, with its reason.
    made = soffice.convert_many(
        command, [("Quý II".encode(), ".txt"), (b"PK\x03\x04 broken", ".docx"), (b"III", ".txt")], "pdf", 120
    )
    assert isinstance(made[0], bytes) and made[0].startswith(b"%PDF-")
    assert isinstance(made[2], bytes) and made[2].startswith(b"%PDF-")
    assert isinstance(made[1], soffice.ConversionFailed) and "could not be loaded" in made[1].reason
    assert starts.read_text().count("start") == 3
    assert (template / "user" / "registrymodifications.xcu").stat().st_mtime_ns == kept


def test_a_profile_folder_that_is_not_private_is_never_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = soffice._private_folder("baocao-soffice-profile")
    assert folder is not None
    folder.chmod(0o777)  # as another account could have made it
    assert soffice._profile_template("soffice") is None
