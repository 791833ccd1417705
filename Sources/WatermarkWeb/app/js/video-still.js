// A still of an uploaded video to draw the mask on: the browser's own decoder (a <video> element)
// seeks a little way in and the frame is copied into a bitmap. Browsers do not all decode every codec
// the service takes (H.265 often not): then there is no still, and the page offers a blank frame of the
// video's size instead.

/** How long to wait for the browser to show a frame before giving up. */
const patience = 15_000;

/**
 * @param {string} url an object URL of the video file
 * @returns {Promise<ImageBitmap | null>} null when this browser cannot show the video
 */
export function videoStill(url) {
    return new Promise((resolve) => {
        const video = document.createElement("video");
        video.muted = true;
        video.preload = "auto";
        const timer = setTimeout(() => finish(null), patience);
        const finish = (/** @type {ImageBitmap | null} */ still) => {
            clearTimeout(timer);
            video.removeAttribute("src");
            video.load();
            resolve(still);
        };
        video.addEventListener("error", () => finish(null));
        video.addEventListener("loadedmetadata", () => {
            // A tenth of the way in, at most a second: past a fade from black, still near the start.
            video.currentTime = Math.min(1, (video.duration || 0) / 10);
        });
        video.addEventListener("seeked", async () => {
            try {
                finish(video.videoWidth > 0 ? await createImageBitmap(video) : null);
            } catch {
                finish(null);
            }
        });
        video.src = url;
    });
}

/** A plain grey frame of the video's size, when the browser cannot show the video itself. */
export async function blankStill(width, height) {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    context.fillStyle = "#808080";
    context.fillRect(0, 0, width, height);
    return createImageBitmap(canvas);
}
