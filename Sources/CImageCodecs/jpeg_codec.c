#include "ImageCodecs.h"
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <jpeglib.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
} ic_jpeg_err;

static void ic_jpeg_error_exit(j_common_ptr cinfo) {
    ic_jpeg_err *e = (ic_jpeg_err *)cinfo->err;
    longjmp(e->jump, 1);
}
static void ic_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }
/* Treat corrupt-data warnings (e.g. premature end of data) as errors. */
static void ic_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        ic_jpeg_err *e = (ic_jpeg_err *)cinfo->err;
        longjmp(e->jump, 1);
    }
}

static void ic_jpeg_setup_err(struct jpeg_decompress_struct *c, ic_jpeg_err *e) {
    c->err = jpeg_std_error(&e->pub);
    e->pub.error_exit = ic_jpeg_error_exit;
    e->pub.output_message = ic_jpeg_output_message;
    e->pub.emit_message = ic_jpeg_emit_message;
}

int ic_jpeg_info(const uint8_t *data, size_t len, int *width, int *height, int *channels) {
    if (len < 3 || data[0] != 0xFF || data[1] != 0xD8) return IC_CORRUPT;
    struct jpeg_decompress_struct c;
    ic_jpeg_err e;
    ic_jpeg_setup_err(&c, &e);
    if (setjmp(e.jump)) { jpeg_destroy_decompress(&c); return IC_CORRUPT; }
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, (const unsigned char *)data, (unsigned long)len);
    jpeg_read_header(&c, TRUE);
    *width = (int)c.image_width;
    *height = (int)c.image_height;
    int rc = IC_OK;
    if (c.jpeg_color_space == JCS_GRAYSCALE) *channels = 1;
    else if (c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK) rc = IC_UNSUPPORTED;
    else *channels = 3;
    jpeg_destroy_decompress(&c);
    return rc;
}

int ic_jpeg_decode(const uint8_t *data, size_t len, uint8_t *out, int width, int height, int channels) {
    struct jpeg_decompress_struct c;
    ic_jpeg_err e;
    ic_jpeg_setup_err(&c, &e);
    if (setjmp(e.jump)) { jpeg_destroy_decompress(&c); return IC_CORRUPT; }
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, (const unsigned char *)data, (unsigned long)len);
    jpeg_read_header(&c, TRUE);
    c.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&c);
    if ((int)c.output_width != width || (int)c.output_height != height || c.output_components != channels) {
        jpeg_destroy_decompress(&c);
        return IC_CORRUPT;
    }
    size_t stride = (size_t)width * (size_t)channels;
    while (c.output_scanline < c.output_height) {
        JSAMPROW row = out + (size_t)c.output_scanline * stride;
        jpeg_read_scanlines(&c, &row, 1);
    }
    jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    return IC_OK;
}

int ic_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   uint8_t **out, size_t *out_len) {
    if (channels != 1 && channels != 3) return IC_UNSUPPORTED;
    struct jpeg_compress_struct c;
    ic_jpeg_err e;
    c.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = ic_jpeg_error_exit;
    e.pub.output_message = ic_jpeg_output_message;
    unsigned char *buf = NULL;
    unsigned long blen = 0;
    if (setjmp(e.jump)) { jpeg_destroy_compress(&c); free(buf); return IC_IO; }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, &blen);
    c.image_width = (JDIMENSION)width;
    c.image_height = (JDIMENSION)height;
    c.input_components = channels;
    c.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    size_t stride = (size_t)width * (size_t)channels;
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)c.next_scanline * stride);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    *out = buf;
    *out_len = (size_t)blen;
    return IC_OK;
}
