/// Parses the orientation tag from a JPEG's APP1 Exif segment (no other metadata).
public enum ExifReader {
    /// Returns the EXIF orientation of a JPEG, or nil if absent/invalid.
    public static func orientation(jpeg d: [UInt8]) -> ExifOrientation? {
        guard d.count > 4, d[0] == 0xFF, d[1] == 0xD8 else { return nil }
        var p = 2
        while p + 4 <= d.count {
            guard d[p] == 0xFF else { return nil }
            let marker = d[p + 1]
            if marker == 0xFF { p += 1; continue }
            if marker == 0xD9 || marker == 0xDA { return nil }  // EOI / start of scan: no more headers
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { p += 2; continue }
            let len = Int(d[p + 2]) << 8 | Int(d[p + 3])
            guard len >= 2, p + 2 + len <= d.count else { return nil }
            if marker == 0xE1, len >= 8 {
                let s = p + 4
                if d[s] == 0x45, d[s + 1] == 0x78, d[s + 2] == 0x69, d[s + 3] == 0x66, d[s + 4] == 0, d[s + 5] == 0 {
                    if let o = parseTIFF(d, start: s + 6, end: p + 2 + len) { return o }
                }
            }
            p += 2 + len
        }
        return nil
    }

    /// Parses IFD0 of a TIFF structure in `d[start..<end]` for tag 0x0112.
    static func parseTIFF(_ d: [UInt8], start: Int, end: Int) -> ExifOrientation? {
        guard end - start >= 8 else { return nil }
        let little: Bool
        if d[start] == 0x49 && d[start + 1] == 0x49 { little = true }
        else if d[start] == 0x4D && d[start + 1] == 0x4D { little = false }
        else { return nil }
        func u16(_ o: Int) -> Int? {
            guard o >= start, o + 2 <= end else { return nil }
            return little ? Int(d[o]) | Int(d[o + 1]) << 8 : Int(d[o]) << 8 | Int(d[o + 1])
        }
        func u32(_ o: Int) -> Int? {
            guard let a = u16(o), let b = u16(o + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(start + 2) == 42, let ifd = u32(start + 4) else { return nil }
        let ifdStart = start + ifd
        guard let n = u16(ifdStart) else { return nil }
        for i in 0..<n {
            let e = ifdStart + 2 + i * 12
            guard let tag = u16(e) else { return nil }
            if tag == 0x0112 {
                guard let type = u16(e + 2), type == 3, let v = u16(e + 8) else { return nil }
                return ExifOrientation(rawValue: v)
            }
        }
        return nil
    }
}
