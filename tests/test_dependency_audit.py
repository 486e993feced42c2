"""The dependency audit (scripts/audit_deps.py against docs/advisories.toml) fails on a known-
vulnerable version, passes on what requirements.txt installs, and refuses a broken list."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "audit_deps.py"


def audit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_a_known_vulnerable_pillow_fails_the_audit():
    result = audit("--installed", "Pillow==11.0.0")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "VULNERABLE pillow 11.0.0: CVE-2026-25990" in result.stdout
    assert "fixed in 12.1.1" in result.stdout


def test_the_versions_this_branch_moved_from_are_all_flagged():
    result = audit("--installed", "weasyprint==66.0", "--installed", "pypdf==5.9.0", "--installed", "lxml==5.4.0")
    assert result.returncode == 1
    for advisory in ("CVE-2025-68616", "CVE-2026-55073", "CVE-2025-55197", "CVE-2025-66019", "CVE-2026-41066"):
        assert advisory in result.stdout, advisory


def test_fixed_versions_pass():
    result = audit("--installed", "Pillow==12.1.1", "--installed", "weasyprint==70.0", "--installed", "pypdf==6.21.4")
    assert result.returncode == 0, result.stdout
    assert "0 known-vulnerable" in result.stdout


def test_the_installed_environment_and_requirements_txt_pass():
    result = audit("--requirements", "requirements.txt")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_requirement_that_still_admits_an_affected_version_fails(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("Flask>=3.1.3,<3.2\nPillow==11.*\nweasyprint>=66\n")
    result = audit("--requirements", str(requirements), "--installed", "flask==3.1.3")
    assert result.returncode == 1
    assert "Pillow==11.* admits pillow" in result.stdout and "CVE-2026-25990" in result.stdout
    assert "weasyprint>=66 admits weasyprint 66" in result.stdout
    assert "Flask" not in result.stdout.replace("flask==3.1.3", "")


def test_a_broken_advisory_list_is_an_error_not_a_pass(tmp_path):
    broken = tmp_path / "advisories.toml"
    broken.write_text('[[advisory]]\npackage = "pillow"\nid = "X-1"\naffected = "<12"\nfixed = "11.0"\nsummary = "s"\n')
    result = audit("--advisories", str(broken))
    assert result.returncode == 2 and "the fixed version 11.0 is in <12" in result.stderr
    broken.write_text('[[advisory]]\npackage = "pillow"\nid = "X-1"\naffected = "<12"\n')
    result = audit("--advisories", str(broken))
    assert result.returncode == 2 and "lacks fixed, summary" in result.stderr
