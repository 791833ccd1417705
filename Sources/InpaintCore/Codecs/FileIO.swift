#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Minimal whole-file read/write (libc based, no Foundation).
public enum FileIO {
    /// Reads a whole file.
    public static func read(_ path: String) throws(InpaintError) -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw .io("\(path): cannot open for reading") }
        defer { fclose(f) }
        var out: [UInt8] = []
        if fseek(f, 0, SEEK_END) == 0 {
            let size = ftell(f)
            if size > 0 {
                rewind(f)
                out = [UInt8](unsafeUninitializedCapacity: size) { buf, n in
                    n = fread(buf.baseAddress, 1, size, f)
                }
                return out
            }
            rewind(f)
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, f) }
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Writes a whole file (truncating).
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws(InpaintError) {
        guard let f = fopen(path, "wb") else { throw .io("\(path): cannot open for writing") }
        let n = fwrite(bytes.baseAddress, 1, bytes.count, f)
        let closed = fclose(f)
        if n != bytes.count || closed != 0 { throw .io("\(path): write failed") }
    }

    /// Writes a whole file (truncating).
    public static func write(_ bytes: [UInt8], to path: String) throws(InpaintError) {
        let r: Result<Void, InpaintError> = bytes.withUnsafeBytes { raw in
            do throws(InpaintError) { try write(raw, to: path); return .success(()) } catch { return .failure(error) }
        }
        try r.get()
    }
}
