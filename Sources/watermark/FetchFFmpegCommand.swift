import ArgumentParser
import Logging
import WatermarkService

/// `watermark fetch-ffmpeg [--directory DIR]`: makes sure Debian's `ffmpeg` and `ffprobe` are unpacked under DIR
/// (what `watermark serve` does on a start without FFmpeg) and prints the directory of their wrappers, for `PATH` or
/// `WATERMARK_FFMPEG_DIR`. Nothing is installed system-wide.
struct FetchFFmpegCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-ffmpeg",
        abstract: "Fetch Debian's ffmpeg into a private directory (as `serve` does when FFmpeg is missing); print its bin directory.")

    @Option(name: .long, help: "Where to unpack it (default: .watermark/ffmpeg, as `serve`).")
    var directory: String = VideoSettings().bootstrapDirectory

    func run() async throws {
        var logger = Logger(label: "watermark")
        logger.logLevel = .info
        let bootstrap = FFmpegBootstrap(directory: directory)
        do {
            _ = try bootstrap.tools(logger: logger)
        } catch {
            throw ValidationError("\(error)")
        }
        print(bootstrap.binDirectory)
    }
}
