"""Debian's headless chromium through its chromedriver, for the tests that look at pages as people do (the form
page, the Agents Playground): started once per module, skipped only when the programs are missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def chromium() -> Iterator[webdriver.Chrome]:
    """A headless browser, quit afterwards; fails instead of skipping when VHBOT_REQUIRE_CHROMIUM is set."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        if os.environ.get("VHBOT_REQUIRE_CHROMIUM"):
            pytest.fail("chromium or chromedriver is missing although VHBOT_REQUIRE_CHROMIUM is set")
        pytest.skip(
            "Debian's chromium and chromium-driver are not installed (scripts/setup-chromium does it as root)"
        )
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
