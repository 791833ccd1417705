/// A grey picture in floating point: what the motion between two frames is measured on.
struct LumaPlane: Sendable {
    let width: Int
    let height: Int
    var values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height)
        self.width = width
        self.height = height
        self.values = values
    }

    /// Half the size, each value the mean of a 2x2 block (odd last rows and columns dropped).
    func halved() -> LumaPlane {
        let w = width / 2, h = height / 2
        var out = [Float](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let i = 2 * y * width + 2 * x
                out[y * w + x] = (values[i] + values[i + 1] + values[i + width] + values[i + width + 1]) * 0.25
            }
        }
        return LumaPlane(width: w, height: h, values: out)
    }

    /// The value at a fractional position (bilinear), nil outside the picture.
    @inline(__always)
    func sample(_ x: Double, _ y: Double) -> Float? {
        guard x >= 0, y >= 0, x <= Double(width - 1), y <= Double(height - 1) else { return nil }
        let x0 = min(Int(x), width - 2), y0 = min(Int(y), height - 2)
        let fx = Float(x - Double(x0)), fy = Float(y - Double(y0))
        let i = y0 * width + x0
        let top = values[i] + (values[i + 1] - values[i]) * fx
        let bottom = values[i + width] + (values[i + width + 1] - values[i + width]) * fx
        return top + (bottom - top) * fy
    }

    /// Horizontal and vertical central differences (zero on the border).
    func gradients() -> (x: [Float], y: [Float]) {
        var gx = [Float](repeating: 0, count: values.count), gy = gx
        guard width > 2, height > 2 else { return (gx, gy) }
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                let i = y * width + x
                gx[i] = (values[i + 1] - values[i - 1]) * 0.5
                gy[i] = (values[i + width] - values[i - width]) * 0.5
            }
        }
        return (gx, gy)
    }
}
