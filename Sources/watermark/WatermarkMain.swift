import ArgumentParser

/// The entry point: `watermark remove …` runs in the small `watermark-remove` executable and is handed
/// over before anything of the service is touched (`RemoveHandOff`); every other command is parsed
/// here, as `AsyncParsableCommand.main()` would.
@main
enum WatermarkMain {
    static func main() async {
        RemoveHandOff.runIfRequested(CommandLine.arguments)
        do {
            var command = try WatermarkCommand.parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            WatermarkCommand.exit(withError: error)
        }
    }
}
