"""The web app (Sources/WatermarkWeb/app) as a person uses it, in real headless Chromium (Debian's, driven by
Selenium) against a `watermark serve` process: sign up (fields marked before sending), upload, draw the mark,
watch the task finish, compare and download; the task center; the language switch; signing out; a phone-wide
window; and what must never happen — a user's text run as HTML, a Content-Security-Policy violation, a token
in localStorage. Also `tsc --checkJs` over the app's modules against the generated client's declarations.
Needs `swift build` first, Debian's chromium, chromium-driver and node-typescript, and `selenium` (.ci/run installs
them)."""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
from served import png, running_service  # noqa: E402

HOSTILE = "<img src=x onerror=alert(1)>"
# Screenshots of the main pages, written by the browser test (the README's come from here: docs/screenshots).
SHOTS = ROOT / ".build" / "screenshots"


def screenshot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def test_the_app_type_checks_against_the_generated_client():
    if shutil.which("tsc") is None:
        pytest.fail("tsc is missing: install Debian's node-typescript (.ci/run does)")
    checked = subprocess.run(["tsc", "-p", str(HERE / "tsconfig.json")], capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1400", "--lang=en-US"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def service():
    with running_service("web_app") as (base, directory):
        yield base, directory


def wait_for(driver, condition, timeout=60, what="the page"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            value = condition(driver)
            if value:
                return value
        except Exception as error:  # the element may not exist yet
            last = error
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}: {last}; page: {driver.find_element('tag name', 'main').text[:500]}")


def main_text(driver) -> str:
    return driver.find_element("css selector", "main").text


def console_problems(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]]


def test_a_user_signs_up_uploads_marks_and_gets_the_clean_image(browser, service, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, _ = service
    browser.get(base + "/")
    wait_for(browser, lambda d: "#/sign-in" in d.current_url, what="the redirect to sign-in")
    browser.find_element(By.LINK_TEXT, "No account yet? Create one").click()
    wait_for(browser, lambda d: d.find_elements(By.NAME, "displayName"), what="the sign-up form")

    # The contract's limits mark the fields before anything is sent.
    browser.find_element(By.NAME, "email").send_keys("web@example.com")
    browser.find_element(By.NAME, "password").send_keys("short")
    browser.find_element(By.NAME, "displayName").send_keys(HOSTILE)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    password = browser.find_element(By.NAME, "password")
    wait_for(browser, lambda d: password.get_attribute("aria-invalid") == "true", what="the password marked")
    assert "at least 10 characters" in browser.find_element(By.ID, "field-password-error").text
    password.clear()
    password.send_keys("correct-horse-battery")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # Back where the app sent the user from (the task center), signed in.
    wait_for(browser, lambda d: "#/tasks" in d.current_url and "No tasks yet." in main_text(d), what="the task center")
    browser.find_element(By.LINK_TEXT, "Upload").click()
    wait_for(browser, lambda d: "#/upload" in d.current_url and d.find_elements(By.CSS_SELECTOR, "input[type=file]"), what="the upload page")

    # A file whose name is HTML: uploaded, shown as text.
    photo = tmp_path / f"{HOSTILE}.png"
    photo.write_bytes(png(640, 360))
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(photo))
    wait_for(browser, lambda d: "#/editor/" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".editor canvas"), what="the editor")
    wait_for(browser, lambda d: HOSTILE in main_text(d), what="the file name shown")
    assert not browser.find_elements(By.CSS_SELECTOR, "main img[src=x]"), "a file name was rendered as HTML"

    # A polygon around the white bar (the middle half of the image, a band at mid-height).
    canvas = browser.find_element(By.CSS_SELECTOR, ".editor canvas")
    box = browser.execute_script(
        "const c = arguments[0]; const r = c.getBoundingClientRect(); return {w: r.width, h: r.height};", canvas)
    # The image is fitted: 640×360 into the canvas box, centred.
    scale = min(box["w"] / 640, box["h"] / 360)
    left = (box["w"] - 640 * scale) / 2
    top = (box["h"] - 360 * scale) / 2

    def at(x, y):
        return left + x * scale - box["w"] / 2, top + y * scale - box["h"] / 2

    for x, y in [(150, 165), (490, 165), (490, 195), (150, 195)]:
        dx, dy = at(x, y)
        ActionChains(browser).move_to_element_with_offset(canvas, dx, dy).click().perform()
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    remove = browser.find_element(By.XPATH, "//button[text()='Remove watermark']")
    wait_for(browser, lambda d: remove.is_enabled(), what="the mask to be drawn")
    # Undo removes the polygon, redo brings it back.
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
    wait_for(browser, lambda d: not remove.is_enabled(), what="undo")
    ActionChains(browser).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("z").key_up(Keys.SHIFT).key_up(Keys.CONTROL).perform()
    wait_for(browser, lambda d: remove.is_enabled(), what="redo")
    screenshot(browser, "editor")
    remove.click()

    wait_for(browser, lambda d: "#/tasks/" in d.current_url, what="the task page")
    wait_for(browser, lambda d: "Done" in main_text(d) and d.find_elements(By.CSS_SELECTOR, ".compare img"), timeout=120, what="the task to finish")
    result = browser.find_element(By.CSS_SELECTOR, ".compare img")
    wait_for(browser, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", result) == 640, what="the result image")
    assert browser.find_element(By.ID, "compare").get_attribute("type") == "range"
    download = browser.find_element(By.LINK_TEXT, "Download the result").get_attribute("href")
    assert download.startswith(base)
    # The downloaded image: the white bar the polygon covered is gone, the rest is as it was.
    import io
    import urllib.request
    from PIL import Image
    import numpy
    with urllib.request.urlopen(download) as response:
        clean = numpy.asarray(Image.open(io.BytesIO(response.read())).convert("L"), dtype=float)
    before = numpy.asarray(Image.open(photo).convert("L"), dtype=float)
    bar = (slice(174, 186), slice(160, 480))
    assert before[bar].mean() == 255
    assert clean[bar].mean() < 200, f"the bar is still there (mean {clean[bar].mean():.1f})"
    assert numpy.abs(clean[:150] - before[:150]).mean() < 1, "pixels far from the mask changed"
    assert "Kept until" in main_text(browser) or "Download soon" in main_text(browser)
    browser.execute_script("arguments[0].scrollIntoView()", result)
    screenshot(browser, "result")

    # The task center lists it as done.
    browser.get(base + "/#/tasks")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "tbody tr"), what="the task list")
    assert "Done" in browser.find_element(By.CSS_SELECTOR, "tbody tr").text
    screenshot(browser, "tasks")

    # Plans and usage: the task counted against the quota.
    browser.find_element(By.LINK_TEXT, "Plans").click()
    wait_for(browser, lambda d: "This period" in main_text(d) and "1 used" in main_text(d), what="the usage")

    # Webhooks: an endpoint, its secret shown once.
    browser.find_element(By.LINK_TEXT, "Webhooks").click()
    wait_for(browser, lambda d: d.find_elements(By.NAME, "url"), what="the webhooks page")
    browser.find_element(By.NAME, "url").send_keys("http://127.0.0.1:9/hooks")
    browser.find_element(By.XPATH, "//button[text()='Add an endpoint']").click()
    wait_for(browser, lambda d: "shown only now" in main_text(d) and "http://127.0.0.1:9/hooks" in main_text(d), what="the new endpoint and its secret")

    # Account: an export, downloadable when ready; deletion refuses anything but the exact phrase.
    browser.find_element(By.LINK_TEXT, "Account").click()
    wait_for(browser, lambda d: HOSTILE in main_text(d), what="the account page with the display name as text")
    assert not browser.find_elements(By.CSS_SELECTOR, "main img[src=x]"), "a display name was rendered as HTML"
    browser.find_element(By.XPATH, "//button[text()='Prepare an export']").click()
    wait_for(browser, lambda d: d.find_elements(By.LINK_TEXT, "Download the export"), timeout=90, what="the export")
    browser.find_element(By.NAME, "confirm").send_keys("delete")
    browser.find_element(By.XPATH, "//button[text()='Delete my account']").click()
    wait_for(browser, lambda d: "type DELETE MY ACCOUNT exactly" in d.find_element(By.ID, "field-confirm-error").text, what="the phrase refused")
    browser.get(base + "/#/tasks")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "tbody tr"), what="the task list again")

    # Tokens live in memory only.
    stored = browser.execute_script("return JSON.stringify(Object.assign({}, localStorage, sessionStorage))")
    assert "eyJ" not in stored and "refresh" not in stored.lower(), stored

    # zh-CN throughout once chosen.
    browser.find_element(By.ID, "language").send_keys("中文")
    wait_for(browser, lambda d: "我的任务" in main_text(d) and "已完成" in main_text(d), what="the page in Chinese")
    screenshot(browser, "tasks-zh-CN")
    browser.find_element(By.ID, "language").send_keys("English")
    wait_for(browser, lambda d: "Your tasks" in main_text(d), what="the page in English")

    # A phone-wide window: nothing wider than the screen.
    browser.set_window_size(375, 800)
    time.sleep(0.5)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 376
    browser.set_window_size(1280, 1400)

    # Signing out forgets the session; a page that needs one sends back to sign-in, keeping the place.
    browser.find_element(By.XPATH, "//button[text()='Sign out']").click()
    wait_for(browser, lambda d: "#/sign-in" in d.current_url, what="sign-in after signing out")
    browser.get(base + "/#/tasks?status=SUCCEEDED")
    wait_for(browser, lambda d: "#/sign-in?next=" in d.current_url, what="the redirect keeping the place")
    browser.find_element(By.NAME, "email").send_keys("web@example.com")
    browser.find_element(By.NAME, "password").send_keys("correct-horse-battery")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, lambda d: "#/tasks?status=SUCCEEDED" in d.current_url and d.find_elements(By.CSS_SELECTOR, "tbody tr"), what="back where the user was")

    problems = console_problems(browser)
    assert not problems, json.dumps(problems, indent=1)


def test_pages_are_served_with_a_strict_policy_and_entity_tags(service):
    import urllib.request

    base, _ = service
    with urllib.request.urlopen(base + "/") as response:
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        tag = response.headers["ETag"]
    request = urllib.request.Request(base + "/", headers={"If-None-Match": tag})
    try:
        urllib.request.urlopen(request)
        raise AssertionError("a matching If-None-Match must answer 304")
    except urllib.error.HTTPError as error:
        assert error.code == 304
    with urllib.request.urlopen(base + "/client/index.js") as response:
        assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    # Compressed for clients that take gzip, the same bytes once inflated; plain for the others.
    import gzip
    with urllib.request.urlopen(base + "/client/client.js") as response:
        plain = response.read()
        assert response.headers.get("Content-Encoding") is None
    with urllib.request.urlopen(urllib.request.Request(base + "/client/client.js", headers={"Accept-Encoding": "br, gzip;q=0.8"})) as response:
        assert response.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in response.headers["Vary"]
        packed = response.read()
        assert len(packed) < len(plain) / 3 and gzip.decompress(packed) == plain
    with urllib.request.urlopen(urllib.request.Request(base + "/client/client.js", headers={"Accept-Encoding": "gzip;q=0"})) as response:
        assert response.headers.get("Content-Encoding") is None and response.read() == plain
    # Every module is preloaded by the page.
    with urllib.request.urlopen(base + "/") as response:
        page = response.read().decode()
    assert page.count('rel="modulepreload"') >= 20 and 'href="/client/runtime.js"' in page and "modulepreload: every module" not in page


def strings(language: str) -> dict[str, str]:
    """The keys and texts of one language's strings file (`key: "text",` lines, quoted keys allowed)."""
    text = (ROOT / "Sources" / "WatermarkWeb" / "app" / "js" / "i18n" / f"{language}.js").read_text()
    import re
    return {match[0] or match[1]: match[2] for match in re.findall(r'^\s+(?:"([^"]+)"|(\w+)):\s*"((?:[^"\\]|\\.)*)",\s*$', text, re.M)}


def test_every_string_the_pages_use_exists_in_both_languages():
    import re
    english, chinese = strings("en"), strings("zh-CN")
    assert english.keys() == chinese.keys(), f"only in en: {english.keys() - chinese.keys()}; only in zh-CN: {chinese.keys() - english.keys()}"
    for key in english:
        assert set(re.findall(r"\{(\w+)\}", english[key])) == set(re.findall(r"\{(\w+)\}", chinese[key])), f"{key}: placeholders differ"
    sources = "\n".join(path.read_text() for path in (ROOT / "Sources" / "WatermarkWeb" / "app" / "js").rglob("*.js"))
    used = {key for key in re.findall(r'\bt\("([^"]+)"', sources) if not key.endswith(".")}
    missing = used - english.keys()
    assert not missing, f"used but not translated: {sorted(missing)}"
    # Keys made from a value: every value of the contract's enums has its words.
    types = (ROOT / "Sources" / "WatermarkWeb" / "app" / "client" / "types.d.ts").read_text()
    for prefix, enum in [("status.", "TaskStatus"), ("statusHelp.", "TaskStatus"), ("mode.", "ProcessingMode"), ("export.", "ExportStatus"),
                         ("delivery.", "DeliveryStatus"), ("interval.", "BillingInterval")]:
        values = re.findall(r'"(\w+)"', re.search(rf"export type {enum} = ([^;]+);", types).group(1))
        absent = [prefix + value for value in values if prefix + value not in english]
        assert not absent, f"no words for {absent}"
