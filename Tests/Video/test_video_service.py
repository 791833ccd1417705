"""Video through `watermark serve` (issue 28's "done when"): a 720p clip with a semi-transparent corner logo and an
audio track is uploaded in resumable chunks (one of them damaged, one sent at a wrong offset, one cut off half-way,
each answered and resumed from the offset the service reports), a task with a drawn mask runs while its progress
arrives on the event stream, and the downloaded result is an H.264 MP4 with its audio whose logo region is much
closer to the clean clip than the upload was. A logo that jumps corners half-way is removed with a mask of two time
ranges; a QUALITY task needs a plan that has it and comes out no worse than FAST; `watermark submit` takes a video the same way a user with a folder would. Refusals: a PNG declared as MP4, a
truncated MP4, an audio-only file, time ranges that overlap. Needs `swift build` and FFmpeg on PATH (scripts/test
puts the copy `watermark serve` fetches there when the machine has none)."""
from __future__ import annotations

import hashlib
import json
import pathlib
import socket
import subprocess
import sys
import urllib.parse
import urllib.request

import numpy
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
from served import BINARY, png, running_service  # noqa: E402
from service_http import call  # noqa: E402

CHUNK = 256 * 1024
WIDTH, HEIGHT, SECONDS, RATE = 1280, 720, 8, 25
# The logo: a white box at 55 % over the top-right corner, 200×80 px at (1040, 40).
LOGO = (1040, 40, 200, 80)
# Where the jumping logo goes half-way through.
JUMP = (40, 600)


def ffmpeg(*arguments: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *arguments], check=True, timeout=300)


def make_clips(directory: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    """The clean clip (lossless, for comparison) and the marked upload (H.264 + AAC, as a phone would send it)."""
    clean, marked = directory / "clean.mkv", directory / "marked.mp4"
    source = f"testsrc2=size={WIDTH}x{HEIGHT}:rate={RATE}:duration={SECONDS}"
    ffmpeg("-f", "lavfi", "-i", source, "-c:v", "ffv1", "-pix_fmt", "yuv444p", str(clean))
    x, y, w, h = LOGO
    ffmpeg("-f", "lavfi", "-i", source, "-f", "lavfi", "-i", f"sine=frequency=440:duration={SECONDS}",
           "-vf", f"drawbox=x={x}:y={y}:w={w}:h={h}:color=white@0.55:t=fill",
           "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(marked))
    return clean, marked


def make_jumping_clip(directory: pathlib.Path) -> pathlib.Path:
    """The logo in the top-right corner for the first half, in the bottom-left for the second (as short-video apps do)."""
    jumping = directory / "jumping.mp4"
    x, y, w, h = LOGO
    source = f"testsrc2=size={WIDTH}x{HEIGHT}:rate={RATE}:duration={SECONDS}"
    ffmpeg("-f", "lavfi", "-i", source, "-f", "lavfi", "-i", f"sine=frequency=440:duration={SECONDS}",
           "-vf", f"drawbox=x={x}:y={y}:w={w}:h={h}:color=white@0.55:t=fill:enable='lt(t,{SECONDS / 2})',"
                  f"drawbox=x={JUMP[0]}:y={JUMP[1]}:w={w}:h={h}:color=white@0.55:t=fill:enable='gte(t,{SECONDS / 2})'",
           "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(jumping))
    return jumping


def box_mask(x: int, y: int, w: int, h: int) -> dict:
    """A rectangle around a box of the clip, in the 1920×1080 canvas (the clip is 1280×720: ×1.5), with a little margin."""
    corners = [(x - 4, y - 4), (x + w + 4, y - 4), (x + w + 4, y + h + 4), (x - 4, y + h + 4)]
    return {"polygons": [{"points": [{"x": round(px * 1.5), "y": round(py * 1.5)} for px, py in corners]}]}


def frames(path: pathlib.Path) -> numpy.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         check=True, capture_output=True, timeout=300).stdout
    return numpy.frombuffer(raw, dtype=numpy.uint8).reshape(-1, HEIGHT, WIDTH, 3)


def psnr_in_logo(a: numpy.ndarray, b: numpy.ndarray, box=LOGO) -> float:
    x, y, w, h = box
    difference = a[:, y:y + h, x:x + w].astype(numpy.float64) - b[:, y:y + h, x:x + w].astype(numpy.float64)
    return float(10 * numpy.log10(255.0 ** 2 / max(numpy.mean(difference ** 2), 1e-9)))


def probe(path: pathlib.Path) -> dict:
    answer = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json", str(path)],
                            check=True, capture_output=True, text=True, timeout=120)
    return json.loads(answer.stdout)


def send_chunk(url: str, offset: int, chunk: bytes, digest: str | None = None):
    request = urllib.request.Request(url, data=chunk, method="PATCH", headers={
        "Content-Type": "application/octet-stream", "Upload-Offset": str(offset),
        "Chunk-SHA256": digest or hashlib.sha256(chunk).hexdigest()})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def progress(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())["data"]


def cut_off_chunk(url: str, offset: int, chunk: bytes) -> None:
    """A chunk whose connection drops half-way: the headers promise all of it, half is sent."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        head = (f"PATCH {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                f"Content-Type: application/octet-stream\r\nUpload-Offset: {offset}\r\n"
                f"Chunk-SHA256: {hashlib.sha256(chunk).hexdigest()}\r\nContent-Length: {len(chunk)}\r\n\r\n")
        connection.sendall(head.encode() + chunk[: len(chunk) // 2])


def follow(base: str, token: str, task_id: str) -> list[tuple[str, int]]:
    """The task's (status, progress) events from its event stream until it ends."""
    events = []
    request = urllib.request.Request(f"{base}/v1/tasks/{task_id}/events", headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"})
    with urllib.request.urlopen(request, timeout=600) as stream:
        for line in stream:
            if line.startswith(b"data:"):
                event = json.loads(line[5:])
                events.append((event["status"], event["progress"]))
                if event["status"] in ("SUCCEEDED", "FAILED", "CANCELED"):
                    break
    return events


def download_result(base: str, token: str, task_id: str, target: pathlib.Path) -> dict:
    status, result = call(base, "GET", f"/v1/tasks/{task_id}/result", token=token)
    assert status == 200, result
    with urllib.request.urlopen(result["data"]["resultUrl"], timeout=120) as download:
        assert download.headers["Content-Type"] == result["data"]["contentType"]
        target.write_bytes(download.read())
    return result["data"]


def uploaded_video(base: str, token: str, path: pathlib.Path, key: str) -> str:
    """The asset id of `path`, uploaded chunk by chunk."""
    data = path.read_bytes()
    policy = policy_for(base, token, path.name, "video/mp4", data, key)
    status, answer = upload(policy, data)
    assert status == 200 and answer["data"]["status"] == "UPLOADED", answer
    return policy["assetId"]


def policy_for(base: str, token: str, name: str, content_type: str, data: bytes, key: str) -> dict:
    status, answer = call(base, "POST", "/v1/assets/upload-policy", {
        "fileName": name, "contentType": content_type, "sizeBytes": len(data), "sha256": hashlib.sha256(data).hexdigest()},
        token=token, key=key)
    assert status == 201, answer
    return answer["data"]


def upload(policy: dict, data: bytes):
    """Every chunk in order; the answer to the last."""
    answer = None
    for offset in range(0, len(data), policy["chunkBytes"]):
        answer = send_chunk(policy["uploadUrl"], offset, data[offset: offset + policy["chunkBytes"]])
        if answer[0] != 200:
            return answer
    return answer


@pytest.fixture(scope="module")
def clips(service):
    return make_clips(service[1])


@pytest.fixture(scope="module")
def service():
    with running_service("video", {"VIDEO_CHUNK_BYTES": str(CHUNK)}) as (base, directory):
        status, session = call(base, "POST", "/v1/auth/register",
                               {"email": "video@example.com", "password": "correct-horse-battery", "displayName": "Video"}, key="video-register")
        assert status == 201, session
        yield base, directory, session["data"]["tokens"]["accessToken"]


def test_a_720p_clip_through_resumable_upload_task_events_and_download(service, clips):
    base, directory, token = service
    status, capabilities = call(base, "GET", "/v1/system/capabilities")
    video = [media for media in capabilities["data"]["media"] if media["mediaType"] == "VIDEO"]
    assert status == 200 and video and "video/mp4" in video[0]["contentTypes"], capabilities

    clean, marked = clips
    data = marked.read_bytes()
    assert len(data) > 3 * CHUNK, "the clip must take several chunks"
    policy = policy_for(base, token, "holiday.mp4", "video/mp4", data, "video-policy")
    assert policy["method"] == "PATCH" and policy["chunkBytes"] == CHUNK, policy
    url = policy["uploadUrl"]

    first = data[:CHUNK]
    assert send_chunk(url, 0, first)[0] == 200
    # Damaged on the way: refused, nothing of it kept.
    status, answer = send_chunk(url, CHUNK, data[CHUNK: 2 * CHUNK], digest="0" * 64)
    assert status == 400 and answer["code"] == 40001 and answer["details"][0]["field"] == "/header/Chunk-SHA256", answer
    # Sent at a wrong offset: 40901, saying where to resume.
    status, answer = send_chunk(url, 3 * CHUNK, data[3 * CHUNK: 4 * CHUNK])
    assert status == 409 and answer["code"] == 40901 and str(CHUNK) in answer["message"], answer
    # Cut off half-way: the service keeps none of it.
    cut_off_chunk(url, CHUNK, data[CHUNK: 2 * CHUNK])
    state = progress(url)
    assert state == {"assetId": policy["assetId"], "receivedBytes": CHUNK, "sizeBytes": len(data), "status": "PENDING_UPLOAD"}, state
    # Resumed from the reported offset to the end.
    answer = None
    for offset in range(state["receivedBytes"], len(data), CHUNK):
        answer = send_chunk(url, offset, data[offset: offset + CHUNK])
        assert answer[0] == 200, answer
    assert answer[1]["data"]["status"] == "UPLOADED" and answer[1]["data"]["receivedBytes"] == len(data), answer
    status, asset = call(base, "GET", f"/v1/assets/{policy['assetId']}", token=token)
    assert status == 200 and asset["data"]["mediaType"] == "VIDEO", asset
    assert (asset["data"]["width"], asset["data"]["height"]) == (WIDTH, HEIGHT) and abs(asset["data"]["durationMs"] - SECONDS * 1000) < 200, asset
    assert send_chunk(url, len(data), b"x")[0] == 422, "chunks after the upload completed are refused"

    # A mask around the logo in the 1920×1080 canvas (the clip is 1280×720: ×1.5), with a little margin.
    mask = box_mask(*LOGO)
    status, task = call(base, "POST", "/v1/tasks", {"assetId": policy["assetId"], "mediaType": "VIDEO", "mask": mask},
                        token=token, key="video-task")
    assert status == 201 and task["data"]["mediaType"] == "VIDEO", task
    task_id = task["data"]["id"]

    events = follow(base, token, task_id)
    assert events[-1][0] == "SUCCEEDED", events
    inpainting = [value for status, value in events if status == "INPAINTING"]
    assert len(inpainting) >= 2 and inpainting == sorted(inpainting) and 20 < inpainting[-1] < 95, f"progress per frame batch: {events}"

    cleaned = directory / "cleaned.mp4"
    result = download_result(base, token, task_id, cleaned)
    assert result["contentType"] == "video/mp4" and cleaned.stat().st_size == result["sizeBytes"], result

    streams = {stream["codec_type"]: stream for stream in probe(cleaned)["streams"]}
    assert streams["video"]["codec_name"] == "h264" and (streams["video"]["width"], streams["video"]["height"]) == (WIDTH, HEIGHT), streams
    assert int(streams["video"]["nb_read_frames"]) == SECONDS * RATE, streams["video"]
    assert streams["audio"]["codec_name"] == "aac", "the audio is kept"
    reference, before, after = frames(clean), frames(marked), frames(cleaned)
    untouched, removed = psnr_in_logo(before, reference), psnr_in_logo(after, reference)
    print(f"\nvideo e2e: events {events}; logo region PSNR upload {untouched:.2f} dB, result {removed:.2f} dB")
    assert removed > untouched + 10, f"logo region: upload {untouched:.2f} dB, result {removed:.2f} dB from the clean clip"

    status, usage = call(base, "GET", "/v1/usage/me", token=token)
    assert status == 200 and usage["data"]["used"] == 1 and usage["data"]["held"] == 0, f"an 8-s video is one unit: {usage}"


def test_refused_uploads_say_why_and_can_start_again(service, clips):
    base, directory, token = service
    # An image declared as a video: refused when complete (415), the upload may start again from 0.
    image = png(64, 64)
    policy = policy_for(base, token, "photo.mp4", "video/mp4", image, "video-not-a-video")
    status, answer = upload(policy, image)
    assert status == 415 and answer["code"] == 41501 and "image/png" in answer["message"], answer
    assert progress(policy["uploadUrl"])["receivedBytes"] == 0

    # A truncated MP4 (its index cut away): FFmpeg cannot read it → 40001 with the reason.
    truncated = clips[1].read_bytes()[: clips[1].stat().st_size // 3]
    policy = policy_for(base, token, "cut.mp4", "video/mp4", truncated, "video-truncated")
    status, answer = upload(policy, truncated)
    assert status == 400 and answer["code"] == 40001 and "FFmpeg" in answer["message"], answer
    assert ".partial" not in answer["message"] and str(directory) not in answer["message"], "no server path in the message"
    assert progress(policy["uploadUrl"])["receivedBytes"] == 0

    # Audio only, in an MP4 container: no video stream.
    sound = directory / "sound.mp4"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=300:duration=2", "-c:a", "aac", str(sound))
    audio = sound.read_bytes()
    policy = policy_for(base, token, "sound.mp4", "video/mp4", audio, "video-audio-only")
    status, answer = upload(policy, audio)
    assert status == 400 and answer["code"] == 40001 and "no video stream" in answer["message"], answer

    # A task on an asset whose upload never completed.
    status, answer = call(base, "POST", "/v1/tasks", {"assetId": policy["assetId"], "mediaType": "VIDEO"}, token=token, key="video-pending")
    assert status == 422 and answer["code"] == 42201, answer


def test_a_logo_that_jumps_corners_goes_with_a_mask_of_two_time_ranges(service, clips):
    base, directory, token = service
    jumping = make_jumping_clip(directory)
    asset = uploaded_video(base, token, jumping, "video-jumping")
    half = SECONDS * 1000 // 2
    first, second = box_mask(*LOGO), box_mask(*JUMP, LOGO[2], LOGO[3])
    overlapping = {"timeRanges": [{"startMs": 0, "endMs": half + 500, **first}, {"startMs": half, **second}]}
    status, answer = call(base, "POST", "/v1/tasks", {"assetId": asset, "mediaType": "VIDEO", "mask": overlapping}, token=token, key="video-overlap")
    assert status == 422 and answer["code"] == 42207 and answer["details"][0]["field"] == "/body/mask/timeRanges/1/startMs", answer

    ranges = {"timeRanges": [{"startMs": 0, "endMs": half, **first}, {"startMs": half, **second}]}
    status, task = call(base, "POST", "/v1/tasks", {"assetId": asset, "mediaType": "VIDEO", "mask": ranges}, token=token, key="video-ranges")
    assert status == 201, task
    assert follow(base, token, task["data"]["id"])[-1][0] == "SUCCEEDED"
    cleaned = directory / "jumping.clean.mp4"
    download_result(base, token, task["data"]["id"], cleaned)

    before, after = assert_both_corners_cleaned(clips, jumping, cleaned, "time ranges")
    split = SECONDS * RATE // 2
    jump_box = (*JUMP, LOGO[2], LOGO[3])
    # Outside its range a box is not cleaned: in the first half the second corner stays as uploaded (up to the
    # re-encode), far closer to it than the first corner, which was cleaned, is to its upload.
    kept, changed = psnr_in_logo(after[:split], before[:split], jump_box), psnr_in_logo(after[:split], before[:split], LOGO)
    assert kept > changed + 10, f"second corner in the first half {kept:.2f} dB from the upload, first corner {changed:.2f} dB"


def assert_both_corners_cleaned(clips, jumping: pathlib.Path, cleaned: pathlib.Path, label: str):
    """Each corner is cleaned while the logo is there (> 8 dB closer to the clean clip than the upload); returns the
    upload's and the result's frames."""
    reference, before, after = frames(clips[0]), frames(jumping), frames(cleaned)
    split = SECONDS * RATE // 2
    for box, part in ((LOGO, slice(0, split)), ((*JUMP, LOGO[2], LOGO[3]), slice(split, None))):
        untouched, removed = psnr_in_logo(before[part], reference[part], box), psnr_in_logo(after[part], reference[part], box)
        print(f"\nvideo {label}: {box} upload {untouched:.2f} dB, result {removed:.2f} dB")
        assert removed > untouched + 8, f"{box}: upload {untouched:.2f} dB, result {removed:.2f} dB"
    return before, after


def test_a_logo_that_jumps_corners_is_found_in_both_without_a_mask(service, clips):
    base, directory, token = service
    jumping = make_jumping_clip(directory)
    asset = uploaded_video(base, token, jumping, "video-jumping-auto")
    status, task = call(base, "POST", "/v1/tasks", {"assetId": asset, "mediaType": "VIDEO", "autoDetect": True}, token=token, key="video-jumping-auto-task")
    assert status == 201, task
    assert follow(base, token, task["data"]["id"])[-1][0] == "SUCCEEDED"
    cleaned = directory / "jumping.auto.mp4"
    download_result(base, token, task["data"]["id"], cleaned)
    assert_both_corners_cleaned(clips, jumping, cleaned, "auto-detected jump")


def test_quality_needs_a_plan_that_has_it_and_is_no_worse_than_fast(service, clips):
    base, _, _ = service
    status, session = call(base, "POST", "/v1/auth/register",
                           {"email": "video-pro@example.com", "password": "correct-horse-battery", "displayName": "Pro"}, key="video-pro-register")
    assert status == 201, session
    token = session["data"]["tokens"]["accessToken"]
    asset = uploaded_video(base, token, clips[1], "video-pro-upload")
    quality = {"assetId": asset, "mediaType": "VIDEO", "mode": "QUALITY", "mask": box_mask(*LOGO)}
    status, answer = call(base, "POST", "/v1/tasks", quality, token=token, key="video-quality-free")
    assert status == 422 and answer["code"] == 42201, f"the free plan has FAST only: {answer}"
    status, checkout = call(base, "POST", "/v1/subscriptions/checkout", {"planCode": "pro_month"}, token=token, key="video-pro-checkout")
    assert status == 201, checkout
    status, confirmed = call(base, "POST", "/v1/subscriptions/mock-confirm", {"paymentId": checkout["data"]["paymentId"]},
                             token=token, key="video-pro-confirm")
    assert status == 200, confirmed

    reference, before = frames(clips[0]), frames(clips[1])
    scores = {}
    for mode in ("FAST", "QUALITY"):
        status, task = call(base, "POST", "/v1/tasks", dict(quality, mode=mode), token=token, key=f"video-pro-{mode}")
        assert status == 201 and task["data"]["mode"] == mode, task
        events = follow(base, token, task["data"]["id"])
        assert events[-1][0] == "SUCCEEDED", events
        cleaned = service[1] / f"cleaned-{mode}.mp4"
        download_result(base, token, task["data"]["id"], cleaned)
        streams = {stream["codec_type"]: stream for stream in probe(cleaned)["streams"]}
        assert int(streams["video"]["nb_read_frames"]) == SECONDS * RATE and streams["audio"]["codec_name"] == "aac", streams
        scores[mode] = psnr_in_logo(frames(cleaned), reference)
    untouched = psnr_in_logo(before, reference)
    print(f"\nvideo modes: logo region PSNR upload {untouched:.2f} dB, FAST {scores['FAST']:.2f} dB, QUALITY {scores['QUALITY']:.2f} dB")
    assert scores["QUALITY"] > untouched + 10 and scores["QUALITY"] >= scores["FAST"] - 0.1, scores


def test_canceling_a_running_video_task_stops_it_and_releases_its_quota(service, clips):
    base, directory, token = service
    # Long enough to be caught running: the 8-s clip four times over.
    longer = directory / "longer.mp4"
    ffmpeg("-stream_loop", "3", "-i", str(clips[1]), "-c", "copy", str(longer))
    asset = uploaded_video(base, token, longer, "video-longer")
    status, before = call(base, "GET", "/v1/usage/me", token=token)
    assert status == 200, before
    status, task = call(base, "POST", "/v1/tasks", {"assetId": asset, "mediaType": "VIDEO", "mask": box_mask(*LOGO)}, token=token, key="video-cancel")
    assert status == 201, task
    task_id = task["data"]["id"]
    request = urllib.request.Request(f"{base}/v1/tasks/{task_id}/events", headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"})
    events = []
    with urllib.request.urlopen(request, timeout=600) as stream:
        for line in stream:
            if not line.startswith(b"data:"):
                continue
            event = json.loads(line[5:])
            events.append((event["status"], event["progress"]))
            if event["status"] == "INPAINTING" and event["progress"] > 20:
                status, canceled = call(base, "POST", f"/v1/tasks/{task_id}/cancel", token=token, key="video-cancel-it")
                assert status == 200 and canceled["data"]["status"] == "CANCELED", canceled
            if event["status"] in ("SUCCEEDED", "FAILED", "CANCELED"):
                break
    assert events[-1][0] == "CANCELED", events
    status, after = call(base, "GET", "/v1/usage/me", token=token)
    assert after["data"]["used"] == before["data"]["used"] and after["data"]["held"] == before["data"]["held"], (before, after)
    # No result; the worker let go of it (the next test's video task runs on the same, single video slot).
    status, result = call(base, "GET", f"/v1/tasks/{task_id}/result", token=token)
    assert status == 422, result


def test_watermark_submit_takes_a_video_in_chunks(service, clips):
    base, directory, token = service
    tokens = directory / "tokens.json"
    login = subprocess.run([str(BINARY), "login", "--server", base, "--email", "video@example.com", "--token-file", str(tokens)],
                           input="correct-horse-battery\n", capture_output=True, text=True, timeout=120)
    assert login.returncode == 0, login.stderr
    mask = directory / "mask.json"
    mask.write_text(json.dumps(box_mask(*LOGO)))
    out = directory / "submitted"
    run = subprocess.run([str(BINARY), "submit", "--server", base, "--token-file", str(tokens), "--mask", str(mask), "-o", str(out), str(clips[1])],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    result = out / "marked.clean.mp4"
    assert run.stdout.strip() == str(result) and "UPLOADING" in run.stderr and "SUCCEEDED" in run.stderr, run.stderr
    streams = {stream["codec_type"]: stream["codec_name"] for stream in probe(result)["streams"]}
    assert streams == {"video": "h264", "audio": "aac"}, streams
