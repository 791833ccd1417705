import ArgumentParser

/// `watermark remove` as `watermark --help` lists it. `WatermarkMain` hands the command to the
/// `watermark-remove` executable before parsing, so `watermark remove --help` shows its options.
struct RemoveForward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a watermark from an image.",
        discussion: "Runs in the \(RemoveHandOff.executableName) executable installed beside watermark; its options: `watermark remove --help`.")

    @Argument(parsing: .captureForPassthrough, help: "Input image and options (`watermark remove --help`).")
    var arguments: [String] = []

    func run() {
        RemoveHandOff.fail(RemoveHandOff.exec(arguments))
    }
}
