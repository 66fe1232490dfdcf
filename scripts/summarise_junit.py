"""Print one closing line over both test runs: 'total: N passed, N failed, N skipped'."""

import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        failed += 1
        print(f"{path}: no report (the run did not finish)")
        continue
    for suite in root.iter("testsuite"):
        tests, fail = int(suite.get("tests", 0)), int(suite.get("failures", 0))
        err, skip = int(suite.get("errors", 0)), int(suite.get("skipped", 0))
        print(f"{path}: {tests - fail - err - skip} passed, {fail + err} failed, {skip} skipped")
        passed += tests - fail - err - skip
        failed += fail + err
        skipped += skip
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
