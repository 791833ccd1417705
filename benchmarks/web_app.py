"""The web app in headless Chromium against `watermark serve` (loopback): the first load of the app shell with a cold
cache (bytes transferred, time to the `app-ready` mark) and a warm reload (entity tags: 304s), and the mask editor's
input-to-paint time while brushing (the `mask-editor:input-to-paint` measures) on a 1920×1080 and a 6000×4000 photo
in the same run.

    swift build && python3 benchmarks/web_app.py [--runs 5] [--moves 300]

Needs what Tests/WebApp needs (chromium, chromium-driver, selenium) and Pillow + scikit-image for the photos.
Results go to docs/benchmarks.md by hand, with this command."""
from __future__ import annotations

import argparse
import io
import pathlib
import shutil
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
from served import running_service  # noqa: E402


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1400"]:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def wait_for(driver, condition, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = condition(driver)
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.05)
    raise TimeoutError(driver.find_element("tag name", "main").text[:300])


def photo(width: int, height: int, path: pathlib.Path) -> pathlib.Path:
    """scikit-image's astronaut scaled to width×height, as a JPEG (quality 90)."""
    from PIL import Image
    from skimage import data

    Image.fromarray(data.astronaut()).resize((width, height), Image.LANCZOS).save(path, quality=90)
    return path


def first_load(driver, base: str, cold: bool) -> tuple[int, float]:
    """Bytes transferred and milliseconds to `app-ready` for one load of the sign-in page."""
    driver.execute_cdp_cmd("Network.enable", {})
    if cold:
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.get("about:blank")
    driver.get(base + "/#/sign-in")
    wait_for(driver, lambda d: d.execute_script("return performance.getEntriesByName('app-ready').length"))
    transferred = driver.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".reduce((sum, entry) => sum + (entry.transferSize || 0), 0)")
    ready = driver.execute_script("return performance.getEntriesByName('app-ready')[0].startTime")
    return transferred, ready


def brush_latencies(driver, base: str, image: pathlib.Path, moves: int) -> list[float]:
    """Uploads `image`, brushes `moves` pointer moves across it, returns the input-to-paint durations (ms)."""
    driver.get(base + "/#/upload")
    wait_for(driver, lambda d: d.find_elements("css selector", "input[type=file]"))
    driver.find_element("css selector", "input[type=file]").send_keys(str(image))
    wait_for(driver, lambda d: d.find_elements("css selector", ".editor canvas"))
    time.sleep(1)
    driver.find_element("xpath", "//button[@data-tool='brush']").click()
    driver.execute_script("performance.clearMeasures('mask-editor:input-to-paint')")
    box = driver.execute_script("const r = document.querySelector('.editor canvas').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]")
    left, top, width, height = box
    y = top + height / 2

    def mouse(kind, x, buttons):
        driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1})

    mouse("mousePressed", left + 20, 1)
    for step in range(moves):
        mouse("mouseMoved", left + 20 + (width - 40) * step / moves, 1)
    mouse("mouseReleased", left + width - 20, 0)
    time.sleep(0.5)
    return driver.execute_script("return performance.getEntriesByName('mask-editor:input-to-paint').map(m => m.duration)")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--moves", type=int, default=300)
    arguments = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="web-bench-"))
    small = photo(1920, 1080, work / "photo-1920x1080.jpg")
    large = photo(6000, 4000, work / "photo-6000x4000.jpg")
    with running_service("web_bench") as (base, _):
        driver = browser()
        try:
            cold = [first_load(driver, base, cold=True) for _ in range(arguments.runs)]
            warm = [first_load(driver, base, cold=False) for _ in range(arguments.runs)]
            # Sign up through the page, so the session lives in the page's memory.
            driver.get(base + "/#/sign-up")
            wait_for(driver, lambda d: d.find_elements("name", "displayName"))
            driver.find_element("name", "email").send_keys("bench@example.com")
            driver.find_element("name", "password").send_keys("correct-horse-battery")
            driver.find_element("name", "displayName").send_keys("Bench")
            driver.find_element("css selector", "form button[type=submit]").click()
            wait_for(driver, lambda d: "#/upload" in d.current_url or "#/tasks" in d.current_url)
            latencies = {name: brush_latencies(driver, base, image, arguments.moves) for name, image in [("1920×1080", small), ("6000×4000", large)]}
        finally:
            driver.quit()
    print(f"first load, cold cache ({arguments.runs} runs, median): {statistics.median(b for b, _ in cold) / 1024:.1f} KB transferred, "
          f"app-ready at {statistics.median(t for _, t in cold):.0f} ms")
    print(f"reload, warm cache (ETag revalidation, median): {statistics.median(b for b, _ in warm) / 1024:.1f} KB transferred, "
          f"app-ready at {statistics.median(t for _, t in warm):.0f} ms")
    for name, values in latencies.items():
        print(f"brushing on {name}: {len(values)} frames, input-to-paint P50 {percentile(values, 0.5):.1f} ms, "
              f"P95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms")
    ratio = percentile(latencies["6000×4000"], 0.95) / max(percentile(latencies["1920×1080"], 0.95), 0.01)
    print(f"P95 ratio 6000×4000 / 1920×1080: {ratio:.2f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
