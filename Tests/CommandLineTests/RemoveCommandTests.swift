import Foundation
import InpaintCore
import Testing

/// `watermark remove` as a user runs it: handed from `watermark` to the small `watermark-remove`
/// executable, with its output, exit statuses and one-line errors.
@Suite(.serialized)
final class RemoveCommandTests {
    let watermark = BuiltExecutable("watermark")
    let scratch: String

    init() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("remove-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        guard watermark.isBuilt, BuiltExecutable("watermark-remove").isBuilt else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(watermark.path) or watermark-remove is missing: run `swift build` before the tests"])
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// A 64×48 image of one colour with a 12×10 square of another (the "watermark"), and its mask.
    func markedImage() throws -> (input: String, mask: String) {
        var image = PixelImage(width: 64, height: 48, channels: 3, fill: 0)
        var mask = Mask(width: 64, height: 48)
        for y in 0..<48 {
            for x in 0..<64 {
                let marked = (20..<32).contains(x) && (18..<28).contains(y)
                mask[x, y] = marked
                for c in 0..<3 { image[x, y, c] = marked ? 250 : UInt8(60 + 40 * c) }
            }
        }
        let input = scratch + "/in.png", maskPath = scratch + "/mask.png"
        try ImageCodec.write(image, path: input)
        try mask.write(path: maskPath)
        return (input, maskPath)
    }

    @Test func removesTheMarkedSquareInBothModes() throws {
        let (input, mask) = try markedImage()
        for mode in ["fast", "quality"] {
            let output = scratch + "/out-\(mode).png"
            let run = try watermark.run(["remove", input, "--mask", mask, "--mode", mode, "-o", output])
            #expect(run.status == 0, "\(mode): \(run.stderr)")
            #expect(run.stdout.contains("INPAINT_MS="))
            let result = try ImageCodec.read(path: output)
            #expect(result.width == 64 && result.height == 48)
            // The square is filled from its constant surroundings.
            for (x, y) in [(20, 18), (25, 22), (31, 27)] {
                for c in 0..<3 { #expect(abs(Int(result[x, y, c]) - (60 + 40 * c)) <= 1, "\(mode) (\(x),\(y)) channel \(c)") }
            }
        }
    }

    @Test func badInputExitsNonZeroWithOneLineNamingTheFile() throws {
        let (_, mask) = try markedImage()
        let missing = scratch + "/no-such.png"
        let output = scratch + "/never.png"
        let run = try watermark.run(["remove", missing, "--mask", mask, "-o", output])
        #expect(run.status == 1)
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.hasPrefix("error: \(missing)") && run.stderr.contains("(IO_ERROR)"))
        #expect(!FileManager.default.fileExists(atPath: output))

        let corrupt = scratch + "/corrupt.png"
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]).write(to: URL(fileURLWithPath: corrupt))
        let corruptRun = try watermark.run(["remove", corrupt, "--mask", mask, "-o", output])
        #expect(corruptRun.status == 1 && corruptRun.errorLines.count == 1)
        #expect(corruptRun.stderr.contains("(IMAGE_CORRUPT)"))
    }

    @Test func autoDetectionWithoutAMarkAsksForAMask() throws {
        let input = scratch + "/plain.png", output = scratch + "/plain-out.png"
        try ImageCodec.write(PixelImage(width: 96, height: 64, channels: 3, fill: 128), path: input)
        let run = try watermark.run(["remove", input, "--auto", "-o", output])
        #expect(run.status == 3)
        #expect(run.errorLines.count == 1 && run.stderr.contains("(MASK_REQUIRED)"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func helpComesFromTheRemovalExecutable() throws {
        for arguments in [["remove", "--help"], ["help", "remove"]] {
            let run = try watermark.run(arguments)
            #expect(run.status == 0)
            #expect(run.stdout.contains("USAGE: watermark remove") && run.stdout.contains("--mask <mask>"), "\(arguments)")
        }
        let overview = try watermark.run(["--help"])
        for command in ["serve", "worker", "migrate", "remove"] { #expect(overview.stdout.contains("  \(command) ")) }
    }

    @Test func usageErrorsComeFromTheRemovalExecutable() throws {
        let run = try watermark.run(["remove", "in.png"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("Missing expected argument '--output <output>'"))
    }

    /// An installation that has `watermark` without `watermark-remove` says what is missing.
    @Test func aMissingRemovalExecutableIsOneClearLine() throws {
        let alone = scratch + "/alone"
        try FileManager.default.createDirectory(atPath: alone, withIntermediateDirectories: true)
        // A hard link (the kernel then reports this directory as the executable's own); a copy
        // where the scratch directory is on another file system.
        if link(watermark.path, alone + "/watermark") != 0 {
            try FileManager.default.copyItem(atPath: watermark.path, toPath: alone + "/watermark")
        }
        let run = try BuiltExecutable(path: alone + "/watermark").run(["remove", "x.png", "--auto", "-o", "y.png"])
        #expect(run.status == 1)
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.hasPrefix("error: \(alone)/watermark-remove is missing"))
    }

    /// The reason for the second executable: offline removal must not load the service's libraries
    /// (Foundation with ICU, NIO, PostgresNIO …), which would take its peak memory over 4× the image.
    @Test func theRemovalExecutableLinksNoneOfTheServiceLibraries() throws {
        let ldd = try BuiltExecutable(path: "/usr/bin/ldd").run([BuiltExecutable("watermark-remove").path])
        #expect(ldd.status == 0)
        #expect(ldd.stdout.contains("libswiftCore"))
        for library in ["libFoundation.so", "libFoundationInternationalization", "lib_FoundationICU", "libFoundationNetworking"] {
            #expect(!ldd.stdout.contains(library), "watermark-remove loads \(library)")
        }
    }
}
