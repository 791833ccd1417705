import Testing
@testable import InpaintCore

@Suite("Codecs")
struct CodecTests {
    static func noise(_ w: Int, _ h: Int, _ ch: Int) -> PixelImage {
        var state: UInt32 = 12345
        var px = [UInt8](repeating: 0, count: w * h * ch)
        for i in 0..<px.count { state = state &* 1664525 &+ 1013904223; px[i] = UInt8(state >> 24) }
        return PixelImage(width: w, height: h, channels: ch, pixels: px)
    }

    @Test("PNG round-trips exactly", arguments: [1, 3, 4])
    func pngRoundTrip(channels: Int) throws {
        let img = Self.noise(37, 23, channels)
        let bytes = try ImageCodec.encode(img, as: .png)
        #expect(ImageFormat.sniff(bytes) == .png)
        let back = try ImageCodec.decode(bytes)
        #expect(back == img)
    }

    @Test("PNG file write/read round-trips exactly")
    func pngFileRoundTrip() throws {
        let img = TestImages.gradient(width: 50, height: 30)
        let path = "/tmp/inpaintcore-test-\(UInt32.random(in: 0...UInt32.max)).png"
        try ImageCodec.write(img, path: path)
        #expect(try ImageCodec.read(path: path) == img)
    }

    @Test("JPEG round-trips within tolerance")
    func jpegRoundTrip() throws {
        let img = TestImages.gradient(width: 64, height: 48)
        let bytes = try ImageCodec.encode(img, as: .jpeg, options: EncodeOptions(jpegQuality: 95))
        #expect(ImageFormat.sniff(bytes) == .jpeg)
        let back = try ImageCodec.decode(bytes)
        #expect(back.width == 64 && back.height == 48 && back.channels == 3)
        var worst = 0
        for i in 0..<img.pixels.count { worst = max(worst, abs(Int(img.pixels[i]) - Int(back.pixels[i]))) }
        #expect(worst <= 8)
    }

    @Test("WebP lossless round-trips every visible pixel exactly", arguments: [3, 4])
    func webpRoundTrip(channels: Int) throws {
        let img = Self.noise(31, 17, channels)
        let bytes = try ImageCodec.encode(img, as: .webp, options: EncodeOptions(webpLossless: true))
        #expect(ImageFormat.sniff(bytes) == .webp)
        let back = try ImageCodec.decode(bytes)
        #expect(back.width == img.width && back.height == img.height && back.channels == channels)
        // libwebp's lossless encoder may recolour fully transparent pixels; everything seen is kept.
        var differing = 0
        for p in 0..<(img.width * img.height) {
            let i = p * channels
            let visible = channels == 3 || img.pixels[i + 3] > 0
            if visible && back.pixels[i..<(i + channels)] != img.pixels[i..<(i + channels)] { differing += 1 }
            if channels == 4 && back.pixels[i + 3] != img.pixels[i + 3] { differing += 1 }
        }
        #expect(differing == 0)
    }

    @Test("WebP lossy decodes close to the original")
    func webpLossy() throws {
        let img = TestImages.gradient(width: 64, height: 48)
        let bytes = try ImageCodec.encode(img, as: .webp, options: EncodeOptions(webpLossless: false, webpQuality: 95))
        let back = try ImageCodec.decode(bytes)
        #expect(back.width == 64 && back.height == 48 && back.channels == 3)
        var worst = 0
        for i in 0..<img.pixels.count { worst = max(worst, abs(Int(img.pixels[i]) - Int(back.pixels[i]))) }
        #expect(worst <= 16)
    }

    @Test("garbage bytes give imageCorrupt")
    func garbage() {
        #expect(throws: InpaintError.imageCorrupt("not a PNG, JPEG or WebP file")) {
            try ImageCodec.decode(Array("hello, not an image".utf8))
        }
        #expect(throws: InpaintError.self) { try ImageCodec.decode([]) }
    }

    @Test("truncated files give imageCorrupt", arguments: [ImageFormat.png, .jpeg, .webp])
    func truncated(format: ImageFormat) throws {
        let img = Self.noise(40, 40, 3)
        let bytes = try ImageCodec.encode(img, as: format, options: EncodeOptions(webpLossless: true))
        for cut in [bytes.count / 2, bytes.count - 20, 30] {
            do {
                _ = try ImageCodec.decode(Array(bytes[0..<cut]))
                Issue.record("decode of \(format) truncated to \(cut) bytes succeeded")
            } catch {
                #expect(error.code == "IMAGE_CORRUPT")
            }
        }
    }

    @Test("corrupted PNG body gives imageCorrupt")
    func corruptBody() throws {
        var bytes = try ImageCodec.encode(Self.noise(40, 40, 3), as: .png)
        for i in 60..<min(bytes.count, 200) { bytes[i] ^= 0x5A }
        #expect(throws: InpaintError.self) { try ImageCodec.decode(bytes) }
    }

    @Test("oversized images are refused from the header", arguments: [ImageFormat.png, .jpeg, .webp])
    func oversized(format: ImageFormat) throws {
        let bytes = try ImageCodec.encode(Self.noise(100, 80, 3), as: format)
        #expect(throws: InpaintError.imageTooLarge(width: 100, height: 80, maxPixels: 5000)) {
            try ImageCodec.decode(bytes, options: DecodeOptions(maxPixels: 5000))
        }
    }

    @Test("PNG header announcing a huge image is refused before allocation")
    func pngBomb() throws {
        var bytes = try ImageCodec.encode(Self.noise(8, 8, 1), as: .png)
        // Patch IHDR width/height to 100000 x 100000 (CRC mismatch is only a warning for IHDR? it is an error):
        // the size check or the CRC check must reject it, never allocate 10 GB.
        let big: [UInt8] = [0x00, 0x01, 0x86, 0xA0]
        for i in 0..<4 { bytes[16 + i] = big[i]; bytes[20 + i] = big[i] }
        #expect(throws: InpaintError.self) { try ImageCodec.decode(bytes) }
    }

    @Test("JPEG EXIF orientation 6 rotates the image 90 degrees clockwise")
    func exifOrientation() throws {
        // 32x16: left half black, right half white.
        var img = PixelImage(width: 32, height: 16, channels: 3)
        for y in 0..<16 { for x in 16..<32 { for c in 0..<3 { img[x, y, c] = 255 } } }
        let jpeg = try ImageCodec.encode(img, as: .jpeg, options: EncodeOptions(jpegQuality: 95))
        let tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,
                             0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00,
                             0x00, 0x00, 0x00, 0x00]
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let len = payload.count + 2
        let app1: [UInt8] = [0xFF, 0xE1, UInt8(len >> 8), UInt8(len & 0xFF)] + payload
        let withExif = Array(jpeg[0..<2]) + app1 + Array(jpeg[2...])
        #expect(ExifReader.orientation(jpeg: withExif) == .right)
        let rotated = try ImageCodec.decode(withExif)
        #expect(rotated.width == 16 && rotated.height == 32)
        // Rotating clockwise puts the original right half (white) at the bottom.
        #expect(rotated[8, 28, 0] > 200)
        #expect(rotated[8, 3, 0] < 50)
        let raw = try ImageCodec.decode(withExif, options: DecodeOptions(applyExifOrientation: false))
        #expect(raw.width == 32)
    }

    @Test("orientation transforms are exact permutations")
    func orientations() {
        let img = Self.noise(5, 3, 1)
        #expect(img.applying(.down).applying(.down) == img)
        #expect(img.applying(.right).applying(.left) == img)
        #expect(img.applying(.upMirrored).applying(.upMirrored) == img)
        let t = img.applying(.leftMirrored)
        #expect(t.width == 3 && t[2, 4, 0] == img[4, 2, 0])
    }
}
