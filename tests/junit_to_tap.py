#!/usr/bin/env python3
"""Turns Catch2's JUnit XML into one TAP line per test case for tests/run."""
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (ET.ParseError, OSError) as e:
    print(f"not ok - unit test report unreadable: {e}")
    sys.exit(0)
cases = {}
for tc in root.iter("testcase"):
    # Catch2 reports sections as "case/section"; fold them into the case.
    name = tc.get("name", "?").split("/")[0]
    bad = tc.find("failure") is not None or tc.find("error") is not None
    cases[name] = cases.get(name, False) or bad
for name, bad in cases.items():
    print(f"{'not ok' if bad else 'ok'} - {name}")
