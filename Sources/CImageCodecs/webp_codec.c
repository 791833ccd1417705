#include "ImageCodecs.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* WebP through libwebp's runtime library, loaded with dlopen on first use.
 *
 * A fresh machine of our kind has the libwebp7 runtime but not libwebp-dev (no headers, no
 * libwebp.so link), so linking at build time would make `swift run watermark serve` fail to build
 * there. Only libwebp's "simple" entry points are used: functions of scalars and pointers whose
 * signatures are part of the library's stable ABI (soname 7), so no libwebp struct is laid out here
 * except the first three ints of the features record, behind a larger zeroed buffer. */

typedef int (*get_features_fn)(const uint8_t *, size_t, void *, int);
typedef uint8_t *(*decode_into_fn)(const uint8_t *, size_t, uint8_t *, size_t, int);
typedef size_t (*encode_lossy_fn)(const uint8_t *, int, int, int, float, uint8_t **);
typedef size_t (*encode_lossless_fn)(const uint8_t *, int, int, int, uint8_t **);
typedef void (*free_fn)(void *);

static struct {
    get_features_fn get_features;
    decode_into_fn decode_rgb_into, decode_rgba_into;
    encode_lossy_fn encode_rgb, encode_rgba;
    encode_lossless_fn encode_lossless_rgb, encode_lossless_rgba;
    free_fn free;
    int loaded;
} webp;

static pthread_once_t webp_once = PTHREAD_ONCE_INIT;

static void webp_load(void) {
    static const char *const names[] = {"libwebp.so.7", "libwebp.so", "libwebp.7.dylib", "libwebp.dylib"};
    void *lib = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && lib == NULL; i++) {
        lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (lib == NULL) return;
    webp.get_features = (get_features_fn)dlsym(lib, "WebPGetFeaturesInternal");
    webp.decode_rgb_into = (decode_into_fn)dlsym(lib, "WebPDecodeRGBInto");
    webp.decode_rgba_into = (decode_into_fn)dlsym(lib, "WebPDecodeRGBAInto");
    webp.encode_rgb = (encode_lossy_fn)dlsym(lib, "WebPEncodeRGB");
    webp.encode_rgba = (encode_lossy_fn)dlsym(lib, "WebPEncodeRGBA");
    webp.encode_lossless_rgb = (encode_lossless_fn)dlsym(lib, "WebPEncodeLosslessRGB");
    webp.encode_lossless_rgba = (encode_lossless_fn)dlsym(lib, "WebPEncodeLosslessRGBA");
    webp.free = (free_fn)dlsym(lib, "WebPFree");
    webp.loaded = webp.get_features && webp.decode_rgb_into && webp.decode_rgba_into && webp.encode_rgb &&
                  webp.encode_rgba && webp.encode_lossless_rgb && webp.encode_lossless_rgba && webp.free;
}

int ic_webp_available(void) {
    pthread_once(&webp_once, webp_load);
    return webp.loaded;
}

/* libwebp checks only the major byte of the decoder ABI version it is given. */
#define IC_WEBP_DECODER_ABI_MAJOR 0x0200
/* VP8StatusCode values used here. */
#define IC_VP8_STATUS_OK 0
#define IC_VP8_STATUS_UNSUPPORTED_FEATURE 4

int ic_webp_info(const uint8_t *data, size_t len, int *width, int *height, int *channels) {
    if (!ic_webp_available()) return IC_NOLIB;
    /* WebPBitstreamFeatures begins with int width, height, has_alpha; the rest is ignored. */
    int features[32];
    memset(features, 0, sizeof features);
    int status = webp.get_features(data, len, features, IC_WEBP_DECODER_ABI_MAJOR);
    if (status == IC_VP8_STATUS_UNSUPPORTED_FEATURE) return IC_UNSUPPORTED;
    if (status != IC_VP8_STATUS_OK) return IC_CORRUPT;
    *width = features[0];
    *height = features[1];
    *channels = features[2] ? 4 : 3;
    return IC_OK;
}

int ic_webp_decode(const uint8_t *data, size_t len, uint8_t *out, int width, int height, int channels) {
    if (!ic_webp_available()) return IC_NOLIB;
    if (channels != 3 && channels != 4) return IC_UNSUPPORTED;
    size_t size = (size_t)width * (size_t)height * (size_t)channels;
    decode_into_fn decode = channels == 4 ? webp.decode_rgba_into : webp.decode_rgb_into;
    return decode(data, len, out, size, width * channels) != NULL ? IC_OK : IC_CORRUPT;
}

int ic_webp_encode(const uint8_t *pixels, int width, int height, int channels, int lossless, float quality,
                   uint8_t **out, size_t *out_len) {
    if (!ic_webp_available()) return IC_NOLIB;
    if (channels != 3 && channels != 4) return IC_UNSUPPORTED;
    int stride = width * channels;
    size_t n;
    if (lossless) {
        n = (channels == 4 ? webp.encode_lossless_rgba : webp.encode_lossless_rgb)(pixels, width, height, stride, out);
    } else {
        n = (channels == 4 ? webp.encode_rgba : webp.encode_rgb)(pixels, width, height, stride, quality, out);
    }
    if (n == 0) {
        if (*out != NULL) { webp.free(*out); *out = NULL; }
        return IC_IO;
    }
    *out_len = n;
    return IC_OK;
}

void ic_webp_free(void *p) {
    if (p != NULL && ic_webp_available()) webp.free(p);
}
