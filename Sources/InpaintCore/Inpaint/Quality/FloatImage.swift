/// A float RGB(A) working image used by the exemplar inpainter (values 0...255).
struct FloatImage: Sendable {
    var width: Int
    var height: Int
    var channels: Int
    var data: [Float]

    init(width: Int, height: Int, channels: Int) {
        self.width = width; self.height = height; self.channels = channels
        data = [Float](repeating: 0, count: width * height * channels)
    }

    /// Crops `image` to the rectangle and converts to float.
    init(_ image: PixelImage, x0: Int, y0: Int, width: Int, height: Int) {
        self.init(width: width, height: height, channels: image.channels)
        let C = channels
        for y in 0..<height {
            let src = ((y0 + y) * image.width + x0) * C
            let dst = y * width * C
            for i in 0..<(width * C) { data[dst + i] = Float(image.pixels[src + i]) }
        }
    }

    /// 2x box downsample; where `hole` marks unknown pixels, only known children are averaged
    /// (all children when none is known).
    func downsampled(hole: [UInt8]) -> FloatImage {
        let w2 = (width + 1) / 2, h2 = (height + 1) / 2, C = channels
        var out = FloatImage(width: w2, height: h2, channels: C)
        for y in 0..<h2 {
            for x in 0..<w2 {
                var acc = SIMD4<Float>(repeating: 0), accAll = SIMD4<Float>(repeating: 0)
                var n: Float = 0, nAll: Float = 0
                for dy in 0..<2 {
                    for dx in 0..<2 {
                        let sx = min(width - 1, 2 * x + dx), sy = min(height - 1, 2 * y + dy)
                        let i = sy * width + sx
                        var v = SIMD4<Float>(repeating: 0)
                        for c in 0..<C { v[c] = data[i * C + c] }
                        accAll += v; nAll += 1
                        if hole[i] == 0 { acc += v; n += 1 }
                    }
                }
                let o = (y * w2 + x) * C
                let r = n > 0 ? acc / n : accAll / nAll
                for c in 0..<C { out.data[o + c] = r[c] }
            }
        }
        return out
    }
}

/// A Sendable wrapper for raw pointers shared by concurrent workers that touch disjoint
/// ranges (or only read).
struct SharedPointer<T>: @unchecked Sendable {
    let p: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}

/// SplitMix64: tiny deterministic random generator (one per worker).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    /// Uniform integer in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
