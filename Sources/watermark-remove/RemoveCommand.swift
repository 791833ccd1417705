import ArgumentParser
import InpaintCore
import VideoCore

/// `watermark remove`: fill a watermark given by a mask (or found automatically). The
/// `watermark-remove` executable, which `watermark remove …` hands over to; it links only InpaintCore
/// so that its process stays small (see `RemoveHandOff` in `watermark`).
@main
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        // The command users type (usage lines and errors say `watermark remove`).
        commandName: "watermark remove",
        abstract: "Remove a watermark from an image or a video.",
        discussion: """
            Prints INPAINT_MS=<ms> (inpainting time without decode/encode) on stdout. Videos (.mp4, .mov, .m4v, .mkv, \
            .webm, .avi) need FFmpeg's ffmpeg and ffprobe programs; their output keeps the codec family and the audio.
            """
    )

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case fast, quality
    }

    @Argument(help: "Input image (PNG, JPEG or WebP) or video.")
    var input: String

    @Option(name: .long, help: "Video: a mask track (JSON: intervals of frames, each with its mask PNG) instead of one mask.")
    var maskTrack: String?

    @Flag(name: .long, help: "Video: write lossless video (ffvhuff in Matroska, .mkv: the frames' own YUV, or RGB) instead of the input's codec family.")
    var lossless = false

    @Option(name: .long, help: "Mask image: grey >= 128 (or any non-zero with --mask-threshold 1) = remove.")
    var mask: String?

    @Flag(name: .long, help: "Detect the watermark automatically instead of reading a mask.")
    var auto = false

    @Option(name: .long, parsing: .upToNextOption,
            help: "With --auto: more images that share the same watermark (improves detection).")
    var sameMark: [String] = []

    @Option(name: .long, help: "fast (Telea fast marching) or quality (PatchMatch + blend inversion; videos: every mark also filled from other frames).")
    var mode: Mode = .fast

    @Option(name: .long, help: ArgumentHelp("Video QUALITY: weight of other frames' sightings against an inverted pixel's (1 - opacity)^2.", visibility: .hidden))
    var sightingWeight: Float?

    @Option(name: .long, help: ArgumentHelp("Video QUALITY: largest difference (0-255) between sightings and an inverted pixel at full weight.", visibility: .hidden))
    var sightingTolerance: Float?

    @Option(name: .shortAndLong, help: "Output image (format from the extension: .png, .jpg, .webp).")
    var output: String

    @Option(name: .long, help: "Also write the mask that was used to this PNG path.")
    var writeMask: String?

    @Option(name: .long, help: "Mask threshold: pixels >= this value are filled.")
    var maskThreshold: Int = 128

    @Option(name: .long, help: "Dilate the mask by this many pixels before filling.")
    var dilate: Int = 0

    @Option(name: .long, help: "FAST neighbourhood radius in pixels.")
    var radius: Int = 3

    @Option(name: .long, help: ArgumentHelp("FAST: harmonic relaxation sweeps after the march.", visibility: .hidden))
    var relaxSweeps: Int = -1

    @Option(name: .long, help: ArgumentHelp("FAST: over-relaxation factor.", visibility: .hidden))
    var relaxOmega: Float = 1.6

    @Flag(name: .long, help: ArgumentHelp("FAST: use Telea's first-order gradient term.", visibility: .hidden))
    var fastGradient = false

    @Option(name: .long, help: ArgumentHelp("QUALITY: exemplar vs smooth weight.", visibility: .hidden))
    var exemplarWeight: Float = 0.3

    @Flag(name: .long, help: ArgumentHelp("QUALITY: do not invert semi-transparent blends.", visibility: .hidden))
    var noInvert = false

    @Flag(name: .long, help: ArgumentHelp("QUALITY: keep every inversion the estimator accepts, even where the inverted interior disagrees with the FAST fill.", visibility: .hidden))
    var noInversionCheck = false

    @Option(name: .long, help: "With --auto: minimum detection confidence (0...1) to accept a mask.")
    var minConfidence: Double = WatermarkDetector.defaultMinConfidence

    @Option(name: .long, help: "Refuse images with more pixels than this (decompression-bomb guard).")
    var maxPixels: Int = 100_000_000

    @Option(name: .long, help: "Seed for QUALITY's random search (results are deterministic per seed).")
    var seed: UInt64 = 1

    func validate() throws {
        if maskTrack != nil && (mask != nil || auto) { throw ValidationError("--mask-track excludes --mask and --auto") }
        if maskTrack != nil && !VideoRemoval.isVideo(path: input) { throw ValidationError("--mask-track is for videos") }
        if mask == nil && !auto && maskTrack == nil { throw ValidationError("give --mask MASK.png or --auto") }
        if mask != nil && auto { throw ValidationError("--mask and --auto are mutually exclusive") }
        if !(1...255).contains(maskThreshold) { throw ValidationError("--mask-threshold must be 1...255") }
    }

    func run() async throws {
        if VideoRemoval.isVideo(path: input) {
            try VideoRemoval(command: self).run()
            return
        }
        do {
            try await execute()
        } catch {
            printError("error: \(error.description)")
            switch error {
            case .cancelled: throw ExitCode(130)
            case .maskRequired: throw ExitCode(3)
            default: throw ExitCode(1)
            }
        }
    }

    private func execute() async throws(InpaintError) {
        let options = DecodeOptions(maxPixels: maxPixels)
        var image = try ImageCodec.read(path: input, options: options)
        let bar = ProgressBar(label: "removing")
        defer { bar.finish() }

        var theMask: Mask
        var sharedImages: [PixelImage] = []
        var detectMs = 0.0
        if let maskPath = mask {
            theMask = try Mask.read(path: maskPath, threshold: UInt8(maskThreshold))
            guard theMask.width == image.width, theMask.height == image.height else {
                throw .invalidArgument("\(maskPath): mask is \(theMask.width)x\(theMask.height), image is \(image.width)x\(image.height)")
            }
        } else {
            let clock = ContinuousClock()
            let start = clock.now
            let outcome: DetectionOutcome
            if sameMark.isEmpty {
                outcome = try WatermarkDetector.detect(in: image, minConfidence: minConfidence)
            } else {
                var others: [PixelImage] = [image]
                for p in sameMark { others.append(try ImageCodec.read(path: p, options: options).toRGB()) }
                outcome = try WatermarkDetector.detectShared(in: others, minConfidence: minConfidence).outcome
                sharedImages = others
            }
            detectMs = (clock.now - start).milliseconds
            switch outcome {
            case .mask(let m, let confidence, let kind):
                theMask = m
                print("DETECTED=\(kind.rawValue) CONFIDENCE=\(format2(confidence))")
            case .maskRequired(let confidence, let reason):
                print("DETECT_MS=\(format2(detectMs))")
                throw .maskRequired("\(input): no watermark found with enough confidence (\(format2(confidence)) < \(format2(minConfidence))): \(reason); pass --mask")
            }
        }
        if dilate > 0 { theMask = theMask.dilated(radius: dilate) }
        if let wm = writeMask { try theMask.write(path: wm) }

        var fastOptions = FastInpaintOptions(radius: radius, gradientTerm: fastGradient)
        if relaxSweeps >= 0 { fastOptions.relaxationSweeps = relaxSweeps }
        fastOptions.relaxationOmega = relaxOmega
        let context = OperationContext(progress: bar.handler)
        let clock = ContinuousClock()
        let start = clock.now
        switch mode {
        case _ where sharedImages.count >= 3 && image.channels == 3 && dilate == 0:
            // Several images share the mark: its opacity and colour come from all of them, and each pixel is inverted
            // where that estimate holds (both modes; the rest is filled with FAST).
            image = try SharedMatteEstimator.estimate(images: sharedImages, mask: theMask, context: context).remove(from: image, fastOptions: fastOptions)
        case .fast:
            // In place: no second copy of the image.
            try FastInpainter.inpaint(&image, mask: theMask, options: fastOptions, context: context)
        case .quality:
            var q = QualityInpaintOptions()
            q.seed = seed
            q.fastRadius = radius
            q.exemplarWeight = exemplarWeight
            q.invertBlend = !noInvert
            q.checkInversionAgainstFill = !noInversionCheck
            image = try QualityInpainter.inpaint(image, mask: theMask, options: q, context: context)
        }
        let elapsed = clock.now - start
        let ms = elapsed.milliseconds
        bar.finish()
        print("INPAINT_MS=\(format2(ms))")
        if detectMs > 0 { print("DETECT_MS=\(format2(detectMs))") }
        try ImageCodec.write(image, path: output, options: EncodeOptions(pngCompressionLevel: 1))
    }
}

/// Formats with two decimals without Foundation.
func format2(_ v: Double) -> String {
    let scaled = (v * 100).rounded()
    let i = Int(scaled)
    let frac = abs(i % 100)
    return "\(i / 100).\(frac < 10 ? "0" : "")\(frac)"
}
