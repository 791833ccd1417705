import InpaintCore

/// One decoded frame cut to the part of the picture a pass reads (`crop`, frame coordinates), in the pipe's format:
/// regions inside it are handed out as RGB, or as brightness for motion measurement.
struct CroppedFrame {
    let crop: PixelRegion
    let format: FrameFormat
    let matrix: YUVMatrix
    let bytes: [UInt8]

    /// RGB of `region` (frame coordinates, inside `crop`).
    func rgb(_ region: PixelRegion) -> PixelImage {
        let local = PixelRegion(x: region.x - crop.x, y: region.y - crop.y, width: region.width, height: region.height)
        switch format {
        case .rgb:
            return PixelImage(width: crop.width, height: crop.height, channels: 3, pixels: bytes).cropped(to: local)
        case .yuv(let layout):
            return YUVFrame(layout: layout.resized(width: crop.width, height: crop.height), bytes: bytes).rgb(in: local, matrix: matrix)
        }
    }

    /// Brightness of `region`: the luma samples as they are for YUV (no conversion), BT.709 luma of RGB otherwise.
    func luma(_ region: PixelRegion) -> LumaPlane {
        guard case .yuv = format else { return TemporalFill.luma(rgb(region)) }
        var values = [Float](repeating: 0, count: region.width * region.height)
        for y in 0..<region.height {
            let row = (region.y - crop.y + y) * crop.width + region.x - crop.x
            for x in 0..<region.width { values[y * region.width + x] = Float(bytes[row + x]) }
        }
        return LumaPlane(width: region.width, height: region.height, values: values)
    }
}
