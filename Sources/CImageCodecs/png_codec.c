#include "ImageCodecs.h"
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct { const uint8_t *data; size_t len; size_t pos; } mem_reader;

static void ic_png_read_fn(png_structp png, png_bytep out, png_size_t n) {
    mem_reader *r = (mem_reader *)png_get_io_ptr(png);
    if (r->pos + n > r->len) { png_error(png, "truncated"); }
    memcpy(out, r->data + r->pos, n);
    r->pos += n;
}

static void ic_png_error_fn(png_structp png, png_const_charp msg) {
    (void)msg;
    png_longjmp(png, 1);
}
static void ic_png_warn_fn(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

/* Configures the transforms; returns output channel count. */
static int ic_png_setup(png_structp png, png_infop info) {
    png_byte color = png_get_color_type(png, info);
    png_byte depth = png_get_bit_depth(png, info);
    if (depth == 16) png_set_strip_16(png);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int ch = png_get_channels(png, info);
    if (ch == 2) return -1; /* grey+tRNS: promote */
    return ch;
}

static int ic_png_open(const uint8_t *data, size_t len, mem_reader *r, png_structp *png, png_infop *info) {
    if (len < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) return IC_CORRUPT;
    r->data = data; r->len = len; r->pos = 0;
    *png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, ic_png_error_fn, ic_png_warn_fn);
    if (!*png) return IC_NOMEM;
    *info = png_create_info_struct(*png);
    if (!*info) { png_destroy_read_struct(png, NULL, NULL); return IC_NOMEM; }
    png_set_read_fn(*png, r, ic_png_read_fn);
    /* Dimension limits are enforced by the Swift caller before allocation. */
    png_set_user_limits(*png, 0x7fffffff, 0x7fffffff);
    return IC_OK;
}

int ic_png_info(const uint8_t *data, size_t len, int *width, int *height, int *channels) {
    mem_reader r; png_structp png; png_infop info;
    int rc = ic_png_open(data, len, &r, &png, &info);
    if (rc != IC_OK) return rc;
    if (setjmp(png_jmpbuf(png))) { png_destroy_read_struct(&png, &info, NULL); return IC_CORRUPT; }
    png_read_info(png, info);
    *width = (int)png_get_image_width(png, info);
    *height = (int)png_get_image_height(png, info);
    png_byte color = png_get_color_type(png, info);
    int ch;
    switch (color) {
    case PNG_COLOR_TYPE_GRAY: ch = png_get_valid(png, info, PNG_INFO_tRNS) ? 4 : 1; break;
    case PNG_COLOR_TYPE_GRAY_ALPHA: ch = 4; break;
    case PNG_COLOR_TYPE_PALETTE: ch = png_get_valid(png, info, PNG_INFO_tRNS) ? 4 : 3; break;
    case PNG_COLOR_TYPE_RGB: ch = png_get_valid(png, info, PNG_INFO_tRNS) ? 4 : 3; break;
    default: ch = 4; break;
    }
    *channels = ch;
    png_destroy_read_struct(&png, &info, NULL);
    return IC_OK;
}

int ic_png_decode(const uint8_t *data, size_t len, uint8_t *out, int width, int height, int channels) {
    mem_reader r; png_structp png; png_infop info;
    int rc = ic_png_open(data, len, &r, &png, &info);
    if (rc != IC_OK) return rc;
    png_bytep *rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return IC_CORRUPT;
    }
    png_read_info(png, info);
    if ((int)png_get_image_width(png, info) != width || (int)png_get_image_height(png, info) != height) {
        png_destroy_read_struct(&png, &info, NULL);
        return IC_CORRUPT;
    }
    png_byte color = png_get_color_type(png, info);
    int trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    if (color == PNG_COLOR_TYPE_GRAY && trns) png_set_gray_to_rgb(png);
    int ch = ic_png_setup(png, info);
    if (ch != channels) { png_destroy_read_struct(&png, &info, NULL); return IC_UNSUPPORTED; }
    rows = (png_bytep *)malloc(sizeof(png_bytep) * (size_t)height);
    if (!rows) { png_destroy_read_struct(&png, &info, NULL); return IC_NOMEM; }
    for (int y = 0; y < height; y++) rows[y] = out + (size_t)y * (size_t)width * (size_t)channels;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return IC_OK;
}

typedef struct { uint8_t *buf; size_t len; size_t cap; int failed; } mem_writer;

static void ic_png_write_fn(png_structp png, png_bytep data, png_size_t n) {
    mem_writer *w = (mem_writer *)png_get_io_ptr(png);
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 65536;
        while (cap < w->len + n) cap *= 2;
        uint8_t *nb = (uint8_t *)realloc(w->buf, cap);
        if (!nb) { w->failed = 1; png_error(png, "nomem"); }
        w->buf = nb; w->cap = cap;
    }
    memcpy(w->buf + w->len, data, n);
    w->len += n;
}
static void ic_png_flush_fn(png_structp png) { (void)png; }

int ic_png_encode(const uint8_t *pixels, int width, int height, int channels, int level,
                  uint8_t **out, size_t *out_len) {
    int color;
    switch (channels) {
    case 1: color = PNG_COLOR_TYPE_GRAY; break;
    case 2: color = PNG_COLOR_TYPE_GRAY_ALPHA; break;
    case 3: color = PNG_COLOR_TYPE_RGB; break;
    case 4: color = PNG_COLOR_TYPE_RGB_ALPHA; break;
    default: return IC_UNSUPPORTED;
    }
    mem_writer w = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, ic_png_error_fn, ic_png_warn_fn);
    if (!png) return IC_NOMEM;
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_write_struct(&png, NULL); return IC_NOMEM; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(w.buf);
        return w.failed ? IC_NOMEM : IC_IO;
    }
    png_set_write_fn(png, &w, ic_png_write_fn, ic_png_flush_fn);
    png_set_compression_level(png, level);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, color,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (level <= 2) png_set_filter(png, 0, PNG_FILTER_SUB | PNG_FILTER_UP);
    png_write_info(png, info);
    size_t stride = (size_t)width * (size_t)channels;
    for (int y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + (size_t)y * stride));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *out = w.buf;
    *out_len = w.len;
    return IC_OK;
}

void ic_free(void *p) { free(p); }

int ic_png_write_file(const char *path, const uint8_t *pixels, int width, int height, int channels, int level) {
    int color;
    switch (channels) {
    case 1: color = PNG_COLOR_TYPE_GRAY; break;
    case 3: color = PNG_COLOR_TYPE_RGB; break;
    case 4: color = PNG_COLOR_TYPE_RGB_ALPHA; break;
    default: return IC_UNSUPPORTED;
    }
    FILE *fp = fopen(path, "wb");
    if (!fp) return IC_IO;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, ic_png_error_fn, ic_png_warn_fn);
    if (!png) { fclose(fp); return IC_NOMEM; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_write_struct(&png, NULL); fclose(fp); return IC_NOMEM; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(fp);
        return IC_IO;
    }
    png_init_io(png, fp);
    png_set_compression_level(png, level);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, color,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (level <= 2) png_set_filter(png, 0, PNG_FILTER_SUB | PNG_FILTER_UP);
    png_write_info(png, info);
    size_t stride = (size_t)width * (size_t)channels;
    for (int y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + (size_t)y * stride));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return fclose(fp) == 0 ? IC_OK : IC_IO;
}
