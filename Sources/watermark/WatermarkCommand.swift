import ArgumentParser

/// The `watermark` executable: the service (`serve`), task workers on their own (`worker`), its
/// database migrations (`migrate`), offline watermark removal (`remove`, which `WatermarkMain` hands
/// to the small `watermark-remove` executable), and a client of a running service through the
/// generated client (`login`, `submit`).
struct WatermarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watermark",
        abstract: "The watermark-removal service and its tools.",
        subcommands: [ServeCommand.self, WorkerCommand.self, MigrateCommand.self, RemoveForward.self, LoginCommand.self, SubmitCommand.self, FetchFFmpegCommand.self]
    )
}
