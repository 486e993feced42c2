#!/usr/bin/env python3
"""Dependency audit without the network: the installed distributions against docs/advisories.toml.

    .venv/bin/python scripts/audit_deps.py                    # this interpreter's packages
    .venv/bin/python scripts/audit_deps.py --requirements requirements.txt   # and the pins
    .venv/bin/python scripts/audit_deps.py --installed pillow==11.0.0 --installed lxml==5.4.0

Prints every installed version that an advisory covers (package, version, advisory id, fixed
version), and every requirement whose range still admits an affected release, and exits 1 if
there is any, 0 otherwise; 2 for an unreadable advisory list. CI runs it
(.ci/run) so that a requirements.txt allowing a version with a known advisory fails the build.
The list is kept by hand (docs/SECURITY.md says how); pip-audit, when its service is reachable,
is an optional second opinion (FORUMAPP_PIP_AUDIT=1 in .ci/run).
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ADVISORIES = Path(__file__).resolve().parent.parent / "docs" / "advisories.toml"
FIELDS = ("package", "id", "affected", "fixed", "summary")


@dataclass(frozen=True)
class Advisory:
    package: str
    id: str
    affected: SpecifierSet
    fixed: Version
    summary: str


@dataclass(frozen=True)
class Finding:
    package: str
    version: Version
    advisory: Advisory

    def __str__(self) -> str:
        return (f"{self.package} {self.version}: {self.advisory.id} (affected {self.advisory.affected}, "
                f"fixed in {self.advisory.fixed}) {self.advisory.summary}")


class BadAdvisoryList(ValueError):
    pass


def load_advisories(path: Path = ADVISORIES) -> list[Advisory]:
    """The advisories, checked: every field present, a valid specifier, and a fixed version that
    the affected range does not contain (else the entry could never be satisfied)."""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("advisory", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BadAdvisoryList(f"{path}: {error}") from None
    advisories = []
    for number, entry in enumerate(entries, 1):
        missing = [field for field in FIELDS if not str(entry.get(field, "")).strip()]
        if missing:
            raise BadAdvisoryList(f"{path}: advisory #{number} lacks {', '.join(missing)}")
        try:
            advisory = Advisory(canonicalize_name(entry["package"]), entry["id"], SpecifierSet(entry["affected"]),
                                Version(entry["fixed"]), entry["summary"])
        except (InvalidSpecifier, InvalidVersion) as error:
            raise BadAdvisoryList(f"{path}: advisory #{number} ({entry['id']}): {error}") from None
        if advisory.affected.contains(advisory.fixed, prereleases=True):
            raise BadAdvisoryList(f"{path}: {advisory.id}: the fixed version {advisory.fixed} is in {advisory.affected}")
        advisories.append(advisory)
    return advisories


def installed_versions() -> dict[str, Version]:
    versions = {}
    for distribution in metadata.distributions():
        name = distribution.metadata["Name"]
        if not name:
            continue
        try:
            versions[canonicalize_name(name)] = Version(distribution.version)
        except InvalidVersion:
            continue  # a local build with a non-PEP 440 version cannot be matched either way
    return versions


def audit(installed: dict[str, Version], advisories: list[Advisory]) -> list[Finding]:
    findings = []
    for advisory in advisories:
        version = installed.get(advisory.package)
        if version is not None and advisory.affected.contains(version, prereleases=True):
            findings.append(Finding(advisory.package, version, advisory))
    return sorted(findings, key=lambda f: (f.package, f.advisory.id))


def _just_below(version: Version) -> Version:
    """A version just under `version` (12.1.1 -> 12.1.0, 12.1.0 -> 12.0.9999, 70.0 -> 69.9999)."""
    parts = list(version.release) + [0] * (3 - len(version.release))
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] > 0:
            parts[index] -= 1
            parts[index + 1:] = [9999] * (len(parts) - index - 1)
            return Version(".".join(map(str, parts)))
    return version


def _probes(requirement, advisory: Advisory) -> set[Version]:
    """Versions worth trying against both ranges: just below the fix, and the edges of the
    requirement's own range (11.0 and 11.9999 for ==11.*, the minimum of >=, just below a <)."""
    probes = {_just_below(advisory.fixed)}
    for spec in requirement.specifier:
        wildcard = spec.version.endswith(".*")
        try:
            version = Version(spec.version.removesuffix(".*"))
        except InvalidVersion:
            continue
        probes.add(version)
        if wildcard:
            probes.add(Version(f"{version}.9999"))
        if spec.operator == "<":
            probes.add(_just_below(version))
    return probes


def requirement_findings(path: Path, advisories: list[Advisory]) -> list[str]:
    """Requirements whose range still admits an affected version (tried at the edges of both
    ranges): each minimum must be raised past every advisory's fix."""
    from packaging.requirements import InvalidRequirement, Requirement

    problems = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            problems.append(f"unreadable requirement {line!r}")
            continue
        name = canonicalize_name(requirement.name)
        for advisory in advisories:
            if advisory.package != name:
                continue
            admitted = sorted(probe for probe in _probes(requirement, advisory)
                              if advisory.affected.contains(probe, prereleases=True)
                              and requirement.specifier.contains(probe, prereleases=True))
            if admitted:
                problems.append(f"{line} admits {name} {admitted[0]}: {advisory.id} (fixed in {advisory.fixed})")
    return problems


def _pin(text: str) -> tuple[str, Version]:
    name, separator, version = text.partition("==")
    if not separator:
        raise argparse.ArgumentTypeError(f"expected NAME==VERSION, got {text!r}")
    try:
        return canonicalize_name(name), Version(version)
    except InvalidVersion as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--advisories", type=Path, default=ADVISORIES, help="the advisory list (TOML)")
    parser.add_argument("--requirements", type=Path, action="append", metavar="FILE",
                        help="also check that FILE's ranges exclude every affected version")
    parser.add_argument("--installed", type=_pin, action="append", metavar="NAME==VERSION",
                        help="audit these versions instead of this interpreter's packages")
    args = parser.parse_args(argv)
    try:
        advisories = load_advisories(args.advisories)
    except BadAdvisoryList as error:
        print(f"audit_deps: {error}", file=sys.stderr)
        return 2
    installed = dict(args.installed) if args.installed else installed_versions()
    findings = audit(installed, advisories)
    for finding in findings:
        print(f"VULNERABLE {finding}")
    for requirements in args.requirements or []:
        for problem in requirement_findings(requirements, advisories):
            print(f"REQUIREMENT {requirements.name}: {problem}")
            findings.append(problem)
    packages = len({a.package for a in advisories})
    print(f"audit_deps: {len(installed)} distributions checked against {len(advisories)} advisories "
          f"for {packages} packages: {len(findings)} known-vulnerable")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
