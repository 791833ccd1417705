#ifndef IMAGE_CODECS_H
#define IMAGE_CODECS_H
/* Small setjmp-safe wrappers around libpng and libjpeg-turbo, and libwebp loaded at run time.
 * Every function returns one of the IC_* codes; no libpng/libjpeg error can
 * longjmp past Swift frames or abort the process. */
#include <stddef.h>
#include <stdint.h>

#define IC_OK 0
#define IC_CORRUPT 1      /* not decodable / truncated */
#define IC_UNSUPPORTED 2  /* valid but unsupported variant */
#define IC_IO 3           /* could not write */
#define IC_NOMEM 4
#define IC_NOLIB 5        /* the codec's runtime library (libwebp.so.7) is not installed */

/* Reads only the header: width, height and the channel count the decoder will
 * produce (1 = grey, 3 = RGB, 4 = RGBA). */
int ic_png_info(const uint8_t *data, size_t len, int *width, int *height, int *channels);
/* Decodes into `out` (width*height*channels bytes, as reported by ic_png_info). */
int ic_png_decode(const uint8_t *data, size_t len, uint8_t *out, int width, int height, int channels);
/* Encodes 8-bit pixels (channels 1,3,4) to a malloc'ed PNG buffer; free with ic_free. */
int ic_png_encode(const uint8_t *pixels, int width, int height, int channels, int level,
                  uint8_t **out, size_t *out_len);

/* Encodes straight to a file (no intermediate buffer). */
int ic_png_write_file(const char *path, const uint8_t *pixels, int width, int height, int channels, int level);

/* JPEG: channels reported are 1 (grey) or 3 (RGB, CMYK/YCCK are unsupported). */
int ic_jpeg_info(const uint8_t *data, size_t len, int *width, int *height, int *channels);
int ic_jpeg_decode(const uint8_t *data, size_t len, uint8_t *out, int width, int height, int channels);
int ic_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   uint8_t **out, size_t *out_len);

/* WebP through libwebp's runtime library (libwebp.so.7), loaded on first use: no headers or
 * development package are needed to build. Every function returns IC_NOLIB when it is missing. */
int ic_webp_available(void);
/* Reads only the header: channels is 4 when the file has alpha, else 3. */
int ic_webp_info(const uint8_t *data, size_t len, int *width, int *height, int *channels);
int ic_webp_decode(const uint8_t *data, size_t len, uint8_t *out, int width, int height, int channels);
/* Encodes 8-bit RGB or RGBA to a buffer; free it with ic_webp_free. Lossless keeps every visible
 * pixel exactly (the colour under fully transparent pixels is not kept). */
int ic_webp_encode(const uint8_t *pixels, int width, int height, int channels, int lossless, float quality,
                   uint8_t **out, size_t *out_len);
void ic_webp_free(void *p);

void ic_free(void *p);
#endif
