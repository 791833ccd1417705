"""The web app (Sources/WatermarkWeb/app) as a person uses it, in real headless Chromium (Debian's, driven by
Selenium) against a `watermark serve` process: sign up (fields marked before sending), upload, draw the mark,
watch the task finish, compare and download; a video uploaded in resumable chunks, marked on a still and played
back cleaned, and one sent to object storage (moto) in presigned parts; the task center; the language switch; signing out; a phone-wide
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


def test_the_pages_running_sha256_matches_nodes():
    """Large videos are hashed slice by slice by the page's own SHA-256 (WebCrypto takes only whole buffers)."""
    checked = subprocess.run(["node", str(HERE / "sha256.test.mjs")], capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0 and "sha256 ok" in checked.stdout, checked.stdout + checked.stderr


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
    toast = driver.find_element("id", "toast").text
    raise AssertionError(f"timed out waiting for {what}: {last}; toast: {toast!r}; page: {driver.find_element('tag name', 'main').text[-400:]}")


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
    asset_id = browser.current_url.split("#/editor/")[1].split("/")[0]
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

    # The task's saved mask comes back into the editor, to change it and run the image again as a new task.
    task_id = browser.current_url.split("#/tasks/")[1]
    browser.execute_script("location.hash = arguments[0]", f"#/editor/{asset_id}/{task_id}")
    again = wait_for(browser, lambda d: [b for b in d.find_elements(By.XPATH, "//button[text()='Remove watermark']") if b.is_enabled()],
                     what="the saved polygon in the editor")[0]
    assert again.is_enabled()

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
    # Signing out forgot the uploaded file; the comparison still has the original, through the service's link to it.
    browser.execute_script("location.hash = arguments[0]", f"#/tasks/{task_id}")
    before_image = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".compare .before img"), what="the comparison")[0]
    wait_for(browser, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", before_image) == 640,
             what="the original in the comparison")
    assert "/v1/storage/originals/" in before_image.get_attribute("src")

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
    for refusal in ["gzip;q=0", "gzip; q=0.000", "gzip;q=0, *", "br, *;q=0"]:
        with urllib.request.urlopen(urllib.request.Request(base + "/client/client.js", headers={"Accept-Encoding": refusal})) as response:
            assert response.headers.get("Content-Encoding") is None and response.read() == plain, refusal
    for acceptance in ["*", "gzip;q=0.001", "*;q=0.5, br"]:
        with urllib.request.urlopen(urllib.request.Request(base + "/client/client.js", headers={"Accept-Encoding": acceptance})) as response:
            assert response.headers["Content-Encoding"] == "gzip", acceptance
    # The first page's modules (main.js and its static imports, the generated client among them) are preloaded; the
    # other pages load when first shown.
    with urllib.request.urlopen(base + "/") as response:
        page = response.read().decode()
    import re
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', page))
    assert {"/js/main.js", "/js/pages/auth.js", "/client/index.js", "/client/runtime.js", "/js/i18n/zh-CN.js"} <= preloaded, preloaded
    assert not preloaded & {"/js/pages/admin.js", "/js/pages/editor.js", "/js/mask-editor.js", "/js/sha256.js"}, preloaded
    assert "modulepreload: the modules" not in page


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


def psnr_in(mask, image, truth) -> float:
    import numpy
    error = ((image.astype(float) - truth.astype(float)) ** 2)[mask].mean()
    return 10 * numpy.log10(255 ** 2 / error)


def sign_up(driver, base: str, email: str, name: str) -> None:
    """Creates an account through the sign-up page and waits until the app shows the user signed in."""
    from selenium.webdriver.common.by import By

    driver.get(base + "/#/sign-up")
    wait_for(driver, lambda d: d.find_elements(By.NAME, "displayName"), what="the sign-up form")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys("correct-horse-battery")
    driver.find_element(By.NAME, "displayName").send_keys(name)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # Signed in, and the app's own navigation away from the form done (a later one would replace the next page).
    wait_for(driver, lambda d: "#/sign-up" not in d.current_url and d.find_elements(By.XPATH, "//button[text()='Sign out']"),
             what="signed in")


def harness_case(tmp_path, kind: str):
    """The shared harness's 1920x1080 case of `kind`: its input path, true mask and truth (as arrays)."""
    import numpy
    from PIL import Image

    generator = ROOT.parent / "shared" / "bench" / "inpaint" / "make_dataset.py"
    made = subprocess.run([sys.executable, str(generator), "--out", str(tmp_path), "--sizes", "1920x1080", "--kinds", kind],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    name = json.loads((tmp_path / "cases.json").read_text())["cases"][0]["name"]
    true_mask = numpy.asarray(Image.open(tmp_path / f"{name}.mask.png")) >= 128
    truth = numpy.asarray(Image.open(tmp_path / f"{name}.truth.png").convert("RGB"))
    return tmp_path / f"{name}.input.png", true_mask, truth


def test_the_harness_case_through_the_browser_matches_watermark_remove(browser, service, tmp_path):
    """The shared harness's 1080p text case through the pages — a polygon around the mark, a brush stroke inside it,
    a stray stroke undone — and its result in the true mask is as good as `watermark remove` with the same area."""
    import io
    import urllib.request
    import numpy
    from PIL import Image
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    source, true_mask, truth = harness_case(tmp_path, "text")
    rows, columns = numpy.nonzero(true_mask)
    x0, x1, y0, y1 = columns.min() - 3, columns.max() + 3, rows.min() - 3, rows.max() + 3

    base, _ = service
    sign_up(browser, base, "harness@example.com", "Harness")
    browser.get(base + "/#/upload")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "input[type=file]"), what="the upload page")
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(source))
    wait_for(browser, lambda d: "#/editor/" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".editor canvas"), what="the editor")
    time.sleep(0.5)
    canvas = browser.find_element(By.CSS_SELECTOR, ".editor canvas")
    box = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return {w: r.width, h: r.height};", canvas)
    scale = min(box["w"] / 1920, box["h"] / 1080)
    left, top = (box["w"] - 1920 * scale) / 2, (box["h"] - 1080 * scale) / 2

    def at(x, y):
        return left + x * scale - box["w"] / 2, top + y * scale - box["h"] / 2

    for x, y in [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]:
        ActionChains(browser).move_to_element_with_offset(canvas, *at(x, y)).click().perform()
    ActionChains(browser).send_keys(Keys.ENTER).perform()

    # A thin brush, so the stroke stays inside the polygon.
    browser.execute_script("const s = document.getElementById('brush-size'); s.value = 4; s.dispatchEvent(new Event('input'));")

    def stroke(points):
        browser.find_element(By.XPATH, "//button[@data-tool='brush']").click()
        chain = ActionChains(browser).move_to_element_with_offset(canvas, *at(*points[0])).click_and_hold()
        for point in points[1:]:
            chain = chain.move_to_element_with_offset(canvas, *at(*point))
        chain.release().perform()

    middle = (y0 + y1) // 2
    stroke([(x0 + 20, middle), ((x0 + x1) // 2, middle), (x1 - 20, middle)])  # inside the polygon: the area stays the same
    stroke([(100, 100), (300, 120)])  # a stray stroke …
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()  # … undone
    screenshot(browser, "editor-harness")
    browser.find_element(By.XPATH, "//button[text()='Remove watermark']").click()
    wait_for(browser, lambda d: "Done" in main_text(d) and d.find_elements(By.LINK_TEXT, "Download the result"), timeout=180, what="the task to finish")
    screenshot(browser, "result-harness")
    download = browser.find_element(By.LINK_TEXT, "Download the result").get_attribute("href")
    with urllib.request.urlopen(download) as response:
        served = numpy.asarray(Image.open(io.BytesIO(response.read())).convert("RGB"))

    # The same area offline: the polygon's rectangle as a mask, through `watermark remove`.
    area = numpy.zeros((1080, 1920), dtype=numpy.uint8)
    area[y0:y1 + 1, x0:x1 + 1] = 255
    Image.fromarray(area).save(tmp_path / "area.png")
    offline = tmp_path / "offline.png"
    removed = subprocess.run([str(ROOT / ".build" / "debug" / "watermark"), "remove", str(source), "--mask", str(tmp_path / "area.png"),
                              "-o", str(offline)], capture_output=True, text=True, timeout=300)
    assert removed.returncode == 0, removed.stderr
    offline_pixels = numpy.asarray(Image.open(offline).convert("RGB"))
    watermarked = numpy.asarray(Image.open(source).convert("RGB"))
    before, through_pages, through_command = (psnr_in(true_mask, image, truth) for image in (watermarked, served, offline_pixels))
    print(f"in-mask PSNR: watermarked {before:.2f} dB, through the pages {through_pages:.2f} dB, watermark remove {through_command:.2f} dB")
    assert through_pages > before + 3, f"in-mask PSNR {through_pages:.2f} dB is not much better than the watermarked {before:.2f} dB"
    assert abs(through_pages - through_command) < 1.0, f"through the pages {through_pages:.2f} dB, `watermark remove` {through_command:.2f} dB"
    # Outside the polygon (with a margin for the clicks' rounding), the photo comes back as it was.
    outside = numpy.ones((1080, 1920), dtype=bool)
    outside[y0 - 6:y1 + 7, x0 - 6:x1 + 7] = False
    assert numpy.abs(served[outside].astype(float) - watermarked[outside].astype(float)).max() <= 1


def test_detect_automatically_outlines_the_mark_for_the_user_to_check_and_remove(browser, service, tmp_path):
    """The shared harness's 1080p corner case (a TV channel bug and timestamp, which the detector is sure of):
    "Detect automatically" outlines the marks in the editor (the service's proposal, no task yet), the user removes
    them, and they are gone from the result."""
    import io
    import urllib.request
    import numpy
    from PIL import Image
    from selenium.webdriver.common.by import By

    source, true_mask, truth = harness_case(tmp_path, "corner")
    base, _ = service
    sign_up(browser, base, "detect@example.com", "Detect")
    browser.get(base + "/#/upload")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "input[type=file]"), what="the upload page")
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(source))
    wait_for(browser, lambda d: "#/editor/" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".editor canvas"), what="the editor")
    remove = browser.find_element(By.XPATH, "//button[text()='Remove watermark']")
    assert not remove.is_enabled(), "nothing is drawn yet"
    browser.find_element(By.XPATH, "//button[text()='Detect automatically']").click()
    status = browser.find_element(By.CSS_SELECTOR, "main p[role=status]")
    wait_for(browser, lambda d: "Watermark found" in status.text, timeout=120, what="the proposal")
    assert remove.is_enabled(), "the proposal is drawn in the editor"
    screenshot(browser, "editor-proposal")
    remove.click()
    wait_for(browser, lambda d: "Done" in main_text(d) and d.find_elements(By.LINK_TEXT, "Download the result"), timeout=180, what="the task to finish")
    download = browser.find_element(By.LINK_TEXT, "Download the result").get_attribute("href")
    with urllib.request.urlopen(download) as response:
        served = numpy.asarray(Image.open(io.BytesIO(response.read())).convert("RGB"))
    watermarked = numpy.asarray(Image.open(source).convert("RGB"))
    before, after = psnr_in(true_mask, watermarked, truth), psnr_in(true_mask, served, truth)
    print(f"in-mask PSNR: watermarked {before:.2f} dB, after the proposal {after:.2f} dB")
    assert after > before + 3, f"in-mask PSNR {after:.2f} dB is not much better than the watermarked {before:.2f} dB"


def test_the_console_is_for_administrators_only_and_replays_a_dead_letter_after_a_preview(browser):
    """An administrator (ADMIN_EMAILS) finds a webhook delivery that gave up among the dead letters, previews the
    replay and runs it; the audit log and plans sections load; a user without the role sees no console."""
    from selenium.webdriver.common.by import By
    from service_http import call

    with running_service("web_console", {"ADMIN_EMAILS": "root@example.com", "WEBHOOK_MAX_ATTEMPTS": "1"}) as (base, _):
        for email in ["root@example.com", "plain@example.com"]:
            status, answer = call(base, "POST", "/v1/auth/register", {"email": email, "password": "correct-horse-battery", "displayName": email.split("@")[0]},
                                  key="register-" + email.split("@")[0])
            assert status == 201, answer
        root = answer = call(base, "POST", "/v1/auth/login", {"email": "root@example.com", "password": "correct-horse-battery"}, key="login-root")[1]
        token = root["data"]["tokens"]["accessToken"]
        status, created = call(base, "POST", "/v1/webhooks/endpoints", {"url": "http://127.0.0.1:9/hooks", "events": ["task.succeeded"]}, token=token, key="endpoint")
        assert status == 201, created
        status, _ = call(base, "POST", f"/v1/webhooks/endpoints/{created['data']['endpoint']['id']}/test", token=token, key="ping-endpoint")
        assert status in (200, 202), _

        def sign_in(email):
            browser.get(base + "/#/sign-in")
            wait_for(browser, lambda d: d.find_elements(By.NAME, "email"), what="the sign-in form")
            browser.find_element(By.NAME, "email").send_keys(email)
            browser.find_element(By.NAME, "password").send_keys("correct-horse-battery")
            browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
            wait_for(browser, lambda d: d.find_elements(By.XPATH, "//button[text()='Sign out']"), what="signed in")

        sign_in("plain@example.com")
        assert not browser.find_elements(By.LINK_TEXT, "Console")
        browser.get(base + "/#/admin/dead-letters")
        wait_for(browser, lambda d: "Your tasks" in main_text(d), what="the task center instead of the console")
        browser.find_element(By.XPATH, "//button[text()='Sign out']").click()
        wait_for(browser, lambda d: "#/sign-in" in d.current_url, what="signed out")

        sign_in("root@example.com")
        browser.find_element(By.LINK_TEXT, "Console").click()
        wait_for(browser, lambda d: "Operators' console" in main_text(d), what="the console")
        browser.find_element(By.LINK_TEXT, "Dead letters").click()

        def dead_letter_listed(d):
            d.find_element(By.XPATH, "//button[text()='Search']").click()
            time.sleep(0.5)
            return d.find_elements(By.CSS_SELECTOR, "input[name=pick]:not([disabled])")
        boxes = wait_for(browser, dead_letter_listed, timeout=90, what="the webhook's dead letter")
        assert "WEBHOOK" in main_text(browser)
        boxes[0].click()
        browser.find_element(By.XPATH, "//button[text()='Preview the replay']").click()
        wait_for(browser, lambda d: "WOULD_REPLAY" in main_text(d) and "1 would be replayed" in main_text(d), what="the preview")
        assert browser.find_element(By.ID, "concurrency").get_attribute("value") == "10"
        screenshot(browser, "console-dead-letters")
        browser.find_element(By.XPATH, "//button[text()='Replay 1']").click()
        wait_for(browser, lambda d: "Replayed" in main_text(d) and "REPLAYED" in main_text(d), what="the replay")

        browser.find_element(By.LINK_TEXT, "Audit log").click()
        wait_for(browser, lambda d: d.find_elements(By.XPATH, "//button[text()='Export CSV']"), what="the audit log")
        browser.find_element(By.CSS_SELECTOR, "main nav a[href='#/admin/plans']").click()
        wait_for(browser, lambda d: d.find_elements(By.XPATH, "//button[text()='Save']"), what="the plans")
        browser.find_element(By.XPATH, "//button[text()='Save']").click()
        wait_for(browser, lambda d: "saved" in d.find_element(By.ID, "toast").text, what="a plan saved with If-Match")
        browser.find_element(By.XPATH, "//button[text()='Sign out']").click()
        problems = console_problems(browser)
        assert not problems, json.dumps(problems, indent=1)


def test_cancel_retry_and_an_exhausted_quota_in_the_pages(browser, tmp_path):
    """Without workers tasks wait in the queue: the task center cancels one and retries it, live; once the free plan's
    20 images are held, the editor shows the service's 40302 with the way to the plans."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from service_http import call

    with running_service("web_queue", {"WORKER_CONCURRENCY": "0"}) as (base, _):
        sign_up(browser, base, "queue@example.com", "Queue")

        photo = tmp_path / "queued.png"
        photo.write_bytes(png(320, 180))

        def mark_and_submit():
            browser.get(base + "/#/upload")
            wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "input[type=file]"), what="the upload page")
            browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(photo))
            wait_for(browser, lambda d: "#/editor/" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".editor canvas"), what="the editor")
            canvas = browser.find_element(By.CSS_SELECTOR, ".editor canvas")
            for dx, dy in [(-60, -10), (60, -10), (60, 10), (-60, 10)]:
                ActionChains(browser).move_to_element_with_offset(canvas, dx, dy).click().perform()
            ActionChains(browser).send_keys(Keys.ENTER).perform()
            browser.find_element(By.XPATH, "//button[text()='Remove watermark']").click()

        mark_and_submit()
        wait_for(browser, lambda d: "#/tasks/" in d.current_url and "Queued" in main_text(d), what="the queued task")
        browser.find_element(By.LINK_TEXT, "Tasks").click()
        wait_for(browser, lambda d: d.find_elements(By.XPATH, "//tbody//button[text()='Cancel']"), what="the cancel button")
        browser.find_element(By.XPATH, "//tbody//button[text()='Cancel']").click()
        wait_for(browser, lambda d: "Canceled" in d.find_element(By.CSS_SELECTOR, "tbody tr").text, what="the task canceled")
        browser.find_element(By.XPATH, "//tbody//button[text()='Retry']").click()
        wait_for(browser, lambda d: "Queued" in d.find_element(By.CSS_SELECTOR, "tbody tr").text, what="the task queued again")

        # Hold the rest of the free plan's 20 images with tasks made through the API.
        status, session = call(base, "POST", "/v1/auth/login", {"email": "queue@example.com", "password": "correct-horse-battery"}, key="login-queue")
        token = session["data"]["tokens"]["accessToken"]
        status, policy = call(base, "POST", "/v1/assets/upload-policy", {"fileName": "q.png", "contentType": "image/png", "sizeBytes": photo.stat().st_size},
                              token=token, key="policy-queue")
        assert status == 201, policy
        import urllib.request
        upload = urllib.request.Request(policy["data"]["uploadUrl"], data=photo.read_bytes(), method="PUT", headers=policy["data"]["headers"])
        with urllib.request.urlopen(upload) as response:
            assert response.status == 200
        mask = {"polygons": [{"points": [{"x": 400, "y": 500}, {"x": 1500, "y": 500}, {"x": 1500, "y": 580}]}]}
        for index in range(19):
            status, answer = call(base, "POST", "/v1/tasks", {"assetId": policy["data"]["assetId"], "mediaType": "IMAGE", "mode": "FAST", "mask": mask},
                                  token=token, key=f"hold-quota-{index:02d}")
            assert status == 201, answer

        mark_and_submit()
        wait_for(browser, lambda d: "(40302)" in main_text(d), what="the quota refusal")
        browser.find_element(By.LINK_TEXT, "See the plans").click()
        wait_for(browser, lambda d: "Your quota for this period is used up" in main_text(d), what="the plans page explaining the quota")
        browser.find_element(By.XPATH, "//button[text()='Sign out']").click()


def test_a_video_goes_up_in_chunks_resumed_is_marked_on_a_still_and_comes_back_clean(browser, tmp_path):
    """A WebM with a semi-transparent corner box: part of it was already sent from elsewhere (an upload cut off), so
    choosing it again sends only the rest, chunk by chunk, each with its SHA-256; the mask is drawn on a still the
    browser decoded; the task plays in the page when done and the download has the box gone."""
    import hashlib
    import numpy
    import urllib.request
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from service_http import call

    width, height, box = 640, 360, (420, 30, 180, 70)
    source = f"testsrc2=size={width}x{height}:rate=25:duration=3"
    clean, marked = tmp_path / "clean.mkv", tmp_path / "marked.webm"
    ffmpeg = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source]
    # The picture drifts (as a hand-held camera's does), so what the box covers in one frame shows in others.
    drift = "scroll=horizontal=0.004:vertical=0.002"
    subprocess.run(ffmpeg + ["-vf", drift, "-c:v", "ffv1", "-pix_fmt", "yuv444p", str(clean)], check=True, timeout=120)
    x, y, w, h = box
    subprocess.run(ffmpeg + ["-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-vf", f"{drift},drawbox=x={x}:y={y}:w={w}:h={h}:color=white@0.55:t=fill",
                             "-c:v", "libvpx-vp9", "-crf", "24", "-b:v", "0", "-deadline", "realtime", "-pix_fmt", "yuv420p",
                             "-c:a", "libopus", "-shortest", str(marked)], check=True, timeout=120)
    data = marked.read_bytes()
    chunk = 64 * 1024
    assert len(data) > 4 * chunk, f"the clip must take several chunks ({len(data)} bytes)"

    def frames(path):
        raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                             capture_output=True, check=True, timeout=120).stdout
        return numpy.frombuffer(raw, numpy.uint8).reshape(-1, height, width, 3).astype(float)

    def psnr_in_box(a, b):
        region = (slice(None), slice(y, y + h), slice(x, x + w))
        return 10 * numpy.log10(255 ** 2 / ((a[region] - b[region]) ** 2).mean())

    with running_service("web_video", {"VIDEO_CHUNK_BYTES": str(chunk)}) as (base, _):
        browser.get_log("browser")  # what earlier tests left (their refusals on purpose)
        sign_up(browser, base, "video-web@example.com", "Video")
        # Elsewhere (another tab that lost its connection): the same file's policy, and its first two chunks.
        status, session = call(base, "POST", "/v1/auth/login", {"email": "video-web@example.com", "password": "correct-horse-battery"}, key="video-web-login")
        assert status == 200, session
        token = session["data"]["tokens"]["accessToken"]
        sha256 = hashlib.sha256(data).hexdigest()
        status, policy = call(base, "POST", "/v1/assets/upload-policy", {"fileName": marked.name, "contentType": "video/webm", "sizeBytes": len(data),
                              "sha256": sha256}, token=token, key="upload-" + sha256[:32])
        assert status == 201 and policy["data"]["method"] == "PATCH", policy
        for offset in (0, chunk):
            piece = data[offset: offset + chunk]
            request = urllib.request.Request(policy["data"]["uploadUrl"], data=piece, method="PATCH", headers={
                "Content-Type": "application/octet-stream", "Upload-Offset": str(offset), "Chunk-SHA256": hashlib.sha256(piece).hexdigest()})
            with urllib.request.urlopen(request, timeout=60) as answer:
                assert answer.status == 200

        browser.get(base + "/#/upload")
        wait_for(browser, lambda d: "Upload an image or a video" in main_text(d) and "WEBM" in main_text(d), what="the upload page taking videos")
        browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(marked))
        wait_for(browser, lambda d: "#/editor/" in d.current_url and "A frame of the video" in main_text(d), timeout=90, what="the editor on a still")
        # Only the chunks the service did not have were sent, each a PATCH from the page.
        sent = browser.execute_script(
            "return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'xmlhttprequest' && e.name.includes('/v1/storage/uploads/')).length")
        assert sent == -(-(len(data) - 2 * chunk) // chunk), f"{sent} chunk requests for {len(data) - 2 * chunk} bytes"
        # The still is the video's picture, not a blank frame.
        canvas = browser.find_element(By.CSS_SELECTOR, ".editor canvas")
        spread = browser.execute_script("""
            const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let lo = 255, hi = 0; for (let i = 0; i < d.length; i += 4 * 97) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); } return hi - lo;""", canvas)
        assert spread > 100, f"the still looks blank (spread {spread})"

        size = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return {w: r.width, h: r.height};", canvas)
        scale = min(size["w"] / width, size["h"] / height)
        left, top = (size["w"] - width * scale) / 2, (size["h"] - height * scale) / 2
        for px, py in [(x - 4, y - 4), (x + w + 4, y - 4), (x + w + 4, y + h + 4), (x - 4, y + h + 4)]:
            ActionChains(browser).move_to_element_with_offset(canvas, left + px * scale - size["w"] / 2, top + py * scale - size["h"] / 2).click().perform()
        ActionChains(browser).send_keys(Keys.ENTER).perform()
        remove = browser.find_element(By.XPATH, "//button[text()='Remove watermark']")
        wait_for(browser, lambda d: remove.is_enabled(), what="the mask to be drawn")
        remove.click()

        wait_for(browser, lambda d: "#/tasks/" in d.current_url, what="the task page")
        player = wait_for(browser, lambda d: "Done" in main_text(d) and d.find_elements(By.CSS_SELECTOR, "main video"), timeout=180, what="the video task to finish")[0]
        wait_for(browser, lambda d: d.execute_script("return arguments[0].readyState >= 1 && arguments[0].videoWidth", player) == width, what="the result to load in the player")
        download = browser.find_element(By.LINK_TEXT, "Download the result").get_attribute("href")
        result = tmp_path / "result.webm"
        with urllib.request.urlopen(download, timeout=120) as answer:
            result.write_bytes(answer.read())
        reference, before, after = frames(clean), frames(marked), frames(result)
        assert len(after) == len(before) == 75
        untouched, cleaned = psnr_in_box(before, reference), psnr_in_box(after, reference)
        assert cleaned > untouched + 8, f"box region: upload {untouched:.2f} dB, result {cleaned:.2f} dB"
        problems = console_problems(browser)
        assert not problems, json.dumps(problems, indent=1)


def unnamed_controls(driver) -> list[str]:
    """Controls Chromium's accessibility tree gives no name (what a screen reader would announce as just "button")."""
    roles = {"button", "link", "textbox", "combobox", "checkbox", "slider", "spinbutton", "radio", "listbox", "searchbox", "switch", "tab", "img"}
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})
    found = []
    for node in tree["nodes"]:
        role = node.get("role", {}).get("value")
        if node.get("ignored") or role not in roles:
            continue
        if not str(node.get("name", {}).get("value", "")).strip():
            found.append(f"{role} (backend node {node.get('backendDOMNodeId')})")
    return found


def test_every_page_names_its_controls_for_assistive_technology_in_both_languages(browser, service, tmp_path):
    """Each page's buttons, links, fields, sliders and images have an accessible name (Chromium's own accessibility
    tree), in English and in Chinese, and the upload page is reachable from the keyboard alone."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, _ = service
    browser.get_log("browser")
    sign_up(browser, base, "a11y@example.com", "Ally")
    photo = tmp_path / "a11y.png"
    photo.write_bytes(png(320, 180))
    browser.execute_script("location.hash = '#/upload'")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "input[type=file]"), what="the upload page")
    # Keyboard: Tab reaches the drop zone, which says what it is for.
    body = browser.find_element(By.TAG_NAME, "body")
    reached = []
    for _ in range(15):
        body.send_keys(Keys.TAB) if not reached else browser.switch_to.active_element.send_keys(Keys.TAB)
        reached.append(browser.switch_to.active_element.get_attribute("class") or "")
        if "drop" in reached[-1]:
            break
    assert "drop" in reached[-1], f"the drop zone is not reachable by Tab: {reached}"
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(photo))
    wait_for(browser, lambda d: "#/editor/" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".editor canvas"), what="the editor")
    pages = {"editor": browser.current_url.split("#")[1]}
    for name in ["upload", "tasks", "plans", "webhooks", "account"]:
        pages[name] = "/" + name
    problems = {}
    for language in ["English", "中文"]:
        browser.find_element(By.ID, "language").send_keys(language)
        for name, route in pages.items():
            browser.execute_script("location.hash = arguments[0]", "#" + route)
            wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "main h1"), what=f"the {name} page")
            time.sleep(0.3)
            unnamed = unnamed_controls(browser)
            if unnamed:
                problems[f"{name} ({language})"] = unnamed
    browser.find_element(By.ID, "language").send_keys("English")
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
    # The audit sees what it looks for: a button without a name, put in for a moment, is reported.
    browser.execute_script("const b = document.createElement('button'); b.id = 'nameless'; document.querySelector('main').append(b)")
    assert unnamed_controls(browser), "the accessibility audit missed a nameless button"
    browser.execute_script("document.getElementById('nameless').remove()")



def test_a_video_goes_to_object_storage_in_presigned_parts_resumed_from_the_parts_already_there(browser, tmp_path):
    """On the S3 backend (moto's server, with the CORS rule a deployment sets for browser uploads) the page sends a
    video in presigned parts: a part sent earlier from elsewhere is not sent again, the service joins the parts and
    checks the whole file, and the editor opens on the uploaded video."""
    import boto3
    import hashlib
    import socket
    import urllib.request
    from selenium.webdriver.common.by import By
    from service_http import call

    part = 5 * 1024 * 1024
    video = tmp_path / "parts.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2",
                    "-vf", "noise=alls=30:allf=t", "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video)], check=True, timeout=120)
    data = video.read_bytes()
    assert len(data) > 2 * part, f"the clip must take at least three parts ({len(data)} bytes)"
    parts = -(-len(data) // part)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        wait_for(browser, lambda d: urllib.request.urlopen(endpoint + "/moto-api/", timeout=2).status == 200, timeout=60, what="moto")
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
        s3.create_bucket(Bucket="web-parts")
        with running_service("web_s3", {"STORAGE_BACKEND": "s3", "S3_ENDPOINT": endpoint, "S3_BUCKET": "web-parts", "S3_ACCESS_KEY_ID": "test",
                                        "S3_SECRET_ACCESS_KEY": "test", "VIDEO_PART_BYTES": str(part)}) as (base, _):
            # What a deployment sets so that browsers may PUT parts to the bucket from the app's origin.
            s3.put_bucket_cors(Bucket="web-parts", CORSConfiguration={"CORSRules": [
                {"AllowedOrigins": [base], "AllowedMethods": ["PUT", "GET"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"]}]})
            browser.get_log("browser")
            sign_up(browser, base, "parts@example.com", "Parts")
            # Elsewhere, earlier: the same file's upload started and its first part sent.
            status, session = call(base, "POST", "/v1/auth/login", {"email": "parts@example.com", "password": "correct-horse-battery"}, key="parts-login")
            assert status == 200, session
            token = session["data"]["tokens"]["accessToken"]
            sha256 = hashlib.sha256(data).hexdigest()
            status, policy = call(base, "POST", "/v1/assets/upload-policy", {"fileName": video.name, "contentType": "video/mp4", "sizeBytes": len(data),
                                  "sha256": sha256}, token=token, key="upload-" + sha256[:32])
            assert status == 201 and policy["data"]["partBytes"] == part, policy
            status, listed = call(base, "GET", f"/v1/assets/{policy['data']['assetId']}/upload-parts?count=1", token=token)
            assert status == 200 and listed["data"]["partCount"] == parts, listed
            request = urllib.request.Request(listed["data"]["urls"][0]["url"], data=data[:part], method="PUT",
                                             headers={"Content-Type": "application/octet-stream"})
            with urllib.request.urlopen(request, timeout=60) as answer:
                assert answer.status == 200

            browser.execute_script("location.hash = '#/upload'")
            wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "input[type=file]"), what="the upload page")
            browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(video))
            wait_for(browser, lambda d: "#/editor/" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".editor canvas"), timeout=120,
                     what="the editor on the uploaded video")
            sent = browser.execute_script(
                "return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'xmlhttprequest' && e.name.startsWith(arguments[0])).length",
                endpoint)
            assert sent == parts - 1, f"{sent} part requests for the {parts - 1} parts the store did not hold"
            status, asset = call(base, "GET", f"/v1/assets/{policy['data']['assetId']}", token=token)
            assert status == 200 and asset["data"]["status"] == "UPLOADED" and asset["data"]["sizeBytes"] == len(data), asset
            stored = s3.get_object(Bucket="web-parts", Key=f"assets/{policy['data']['assetId']}")["Body"].read()
            assert hashlib.sha256(stored).hexdigest() == sha256
            problems = console_problems(browser)
            assert not problems, json.dumps(problems, indent=1)
    finally:
        moto.kill()
        moto.wait()
