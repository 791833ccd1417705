#include "ImageCodecs.h"
#include <stdlib.h>
#include <webp/encode.h>

int ic_webp_encode(const uint8_t *pixels, int width, int height, int channels, int lossless, float quality,
                   uint8_t **out, size_t *out_len) {
    if (channels != 3 && channels != 4) return IC_UNSUPPORTED;
    WebPConfig config;
    if (!WebPConfigInit(&config)) return IC_UNSUPPORTED;
    config.lossless = lossless ? 1 : 0;
    config.quality = lossless ? 75.0f : quality;
    config.method = lossless ? 1 : 4;
    config.exact = 1; /* keep RGB under fully transparent pixels */
    WebPPicture pic;
    if (!WebPPictureInit(&pic)) return IC_UNSUPPORTED;
    pic.width = width;
    pic.height = height;
    pic.use_argb = lossless ? 1 : 0;
    int ok = channels == 4 ? WebPPictureImportRGBA(&pic, pixels, width * 4)
                           : WebPPictureImportRGB(&pic, pixels, width * 3);
    if (!ok) { WebPPictureFree(&pic); return IC_NOMEM; }
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    pic.writer = WebPMemoryWrite;
    pic.custom_ptr = &writer;
    ok = WebPEncode(&config, &pic);
    WebPPictureFree(&pic);
    if (!ok) { WebPMemoryWriterClear(&writer); return IC_IO; }
    *out = writer.mem;
    *out_len = writer.size;
    return IC_OK;
}

void ic_webp_free(void *p) { WebPFree(p); }
