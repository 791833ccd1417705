import ContractRuntime
import Foundation
import HummingbirdTesting
import InpaintCore
import Synchronization
import Testing
import WatermarkClient
@testable import WatermarkService

/// End to end over real PostgreSQL and storage with a case of the shared inpainting harness
/// (`../shared/bench/inpaint/make_dataset.py`: a photo with a known watermark, its mask and the
/// clean original): upload it, send its mask, let a worker run the task, download the result.
@Suite struct BenchmarkCaseTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The harness's 1080p opaque corner-overlay case, generated into a scratch directory (or read
    /// from `INPAINT_CASES` when it points at a generated dataset).
    static func benchmarkCase(_ name: String = "1920x1080_corner") throws -> (input: [UInt8], mask: Mask, truth: PixelImage) {
        var directory = ProcessInfo.processInfo.environment["INPAINT_CASES"] ?? ""
        var scratch: String?
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        if directory.isEmpty {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("inpaint-case-\(UUID())").path
            scratch = directory
            let generator = root.deletingLastPathComponent().appendingPathComponent("shared/bench/inpaint/make_dataset.py").path
            let python = Process()
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            python.arguments = ["python3", generator, "--out", directory, "--sizes", "1920x1080", "--kinds", "corner"]
            let output = Pipe()
            python.standardOutput = output
            python.standardError = output
            try python.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            python.waitUntilExit()
            guard python.terminationStatus == 0 else {
                throw ServiceConfiguration.Invalid(description: """
                    \(generator) failed (it needs numpy, pillow and scikit-image, which .ci/run installs): \(text.suffix(800))
                    """)
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(name) }.sorted()
        guard let stem = files.first(where: { $0.hasSuffix(".input.png") })?.dropLast(".input.png".count) else {
            throw ServiceConfiguration.Invalid(description: "no \(name)* case in \(directory)")
        }
        let base = directory + "/" + stem
        let input = Array(try Data(contentsOf: URL(fileURLWithPath: base + ".input.png")))
        return (input, try Mask.read(path: base + ".mask.png"), try ImageCodec.read(path: base + ".truth.png"))
    }

    /// The result of a FAST task over `input` with `mask`: uploaded by a new user, run by a worker, downloaded.
    static func cleaned(_ input: [UInt8], mask: MaskInput) async throws -> [UInt8] {
        let output = Mutex<[UInt8]>([])
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let task = try await ada.task(asset: try await ada.uploadedAsset(input), mask: mask, mode: .fast)
                var done: TaskModel?
                try await TaskWorkerTests.running([TaskWorkerTests.worker(harness)]) {
                    done = try await TaskWorkerTests.wait(ada.api, for: task.id, until: [.succeeded, .failed], timeout: .seconds(120))
                }
                #expect(done?.status == .succeeded)
                let result = try await ada.api.getTaskResult(taskId: task.id).body
                let download = try await client.execute(uri: UploadFixtures.pathAndQuery(result.resultUrl), method: .get)
                output.withLock { $0 = Array(download.body.readableBytesView) }
            }
        }
        return output.withLock { $0 }
    }

    @Test func aHarnessCaseUploadedWithItsMaskComesBackCleanInsideAndUntouchedOutside() async throws {
        let (input, trueMask, truth) = try Self.benchmarkCase()
        #expect(trueMask.width == 1920 && trueMask.height == 1080)
        // 1920×1080 images: canvas units are pixels; a rectangle covers its boxes' pixel centres.
        let boxes = trueMask.boundingRectangles(limit: 64).map { ($0.minX, $0.minY, $0.maxX, $0.maxY) }
        let polygons = boxes.map { b -> MaskPolygon in
            let (left, top, right, bottom) = (Double(b.0), Double(b.1), Double(b.2 + 1), Double(b.3 + 1))
            return MaskPolygon(points: [Point(x: left, y: top), Point(x: right, y: top), Point(x: right, y: bottom), Point(x: left, y: bottom)])
        }
        let sent = InpaintCore.TaskMask(shapes: boxes.map { b in
            .polygon([CanvasPoint(x: Double(b.0), y: Double(b.1)), CanvasPoint(x: Double(b.2 + 1), y: Double(b.1)),
                      CanvasPoint(x: Double(b.2 + 1), y: Double(b.3 + 1)), CanvasPoint(x: Double(b.0), y: Double(b.3 + 1))])
        }).rasterize(width: 1920, height: 1080)
        #expect(zip(trueMask.values, sent.values).allSatisfy { $0 == 0 || $1 != 0 }, "the rectangles cover the whole mask")

        let output = try ImageCodec.decode(try await Self.cleaned(input, mask: MaskInput(polygons: polygons)))
        let watermarked = try ImageCodec.decode(input)
        #expect(output.width == 1920 && output.height == 1080 && output.channels == watermarked.channels)

        var changedOutside = 0, changedInside = 0, inside = 0
        var inputError = 0.0, outputError = 0.0
        let channels = output.channels
        for p in 0..<(1920 * 1080) {
            let masked = sent.values[p] != 0
            if masked { inside += 1 }
            var differs = false
            for c in 0..<3 {
                let before = Int(watermarked.pixels[p * channels + c]), after = Int(output.pixels[p * channels + c])
                differs = differs || before != after
                if trueMask.values[p] != 0 {
                    let clean = Double(truth.pixels[p * truth.channels + c])
                    inputError += (Double(before) - clean) * (Double(before) - clean)
                    outputError += (Double(after) - clean) * (Double(after) - clean)
                }
            }
            if differs { if masked { changedInside += 1 } else { changedOutside += 1 } }
        }
        // Untouched outside the mask; inside, most pixels changed and the watermark's error
        // against the clean original is well down.
        #expect(changedOutside == 0)
        #expect(Double(changedInside) > 0.5 * Double(inside), "\(changedInside) of \(inside) masked pixels changed")
        #expect(outputError < 0.5 * inputError, "squared error inside the mask: \(inputError) before, \(outputError) after")
    }
}
