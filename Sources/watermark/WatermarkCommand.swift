import ArgumentParser

/// The `watermark` executable: the service's command line (`migrate`, and `serve` with the service
/// issue) and offline watermark removal (`remove`).
@main
struct WatermarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watermark",
        abstract: "The watermark-removal service and its tools.",
        subcommands: [RemoveCommand.self, MigrateCommand.self]
    )
}
