import Dispatch
import InpaintCore
import Synchronization

/// The estimation samples' fills (`SharedMatteEstimator.fill`), computed on another thread while the decoding pass
/// that cuts the samples goes on: the decoder and the reading thread leave a core mostly idle, and the fills are most
/// of the estimate's work.
final class BackgroundFills: Sendable {
    private let results = Mutex<[Int: Result<PixelImage, InpaintError>]>([:])
    private let group = DispatchGroup()
    private let queue = DispatchQueue(label: "watermark.video.estimation-fills")

    /// Starts filling `image` under `mask`; `index` is where `fills()` returns it.
    func submit(_ image: PixelImage, mask: Mask, index: Int, token: CancellationToken?) {
        queue.async(group: group) { [self] in
            let outcome: Result<PixelImage, InpaintError>
            if token?.isCancelled == true {
                outcome = .failure(.cancelled)
            } else {
                do throws(InpaintError) { outcome = .success(try SharedMatteEstimator.fill(image, mask: mask)) } catch {
                    outcome = .failure(error)
                }
            }
            self.results.withLock { $0[index] = outcome }
        }
    }

    /// Waits for every fill submitted and returns them in index order (`0..<count`).
    func fills(count: Int) throws(InpaintError) -> [PixelImage] {
        group.wait()
        return try (0..<count).map { k throws(InpaintError) in
            guard let outcome = results.withLock({ $0[k] }) else { throw .invalidArgument("no fill was submitted for sample \(k)") }
            return try outcome.get()
        }
    }
}
