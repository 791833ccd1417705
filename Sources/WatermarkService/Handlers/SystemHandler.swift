import Foundation
import Hummingbird
import Logging
import PostgresSupport
import WatermarkAPI

/// The `system` operations: what this deployment supports and whether it is healthy.
struct SystemHandler<Context: RequestContext>: SystemAPI {
    let configuration: ServiceConfiguration
    let database: Database
    let storage: any ObjectStorage

    /// The deployment's capabilities; with a caller, also what the caller's plan allows (the free
    /// plan has no QUALITY, which a new user would otherwise learn from a 42201).
    func getCapabilities(_ input: Operations.GetCapabilities.Input, context: Context) async throws -> Operations.GetCapabilities.Output {
        let deploymentModes: [ProcessingMode] = [.fast, .quality]
        var caller: CallerCapabilities?
        if let user = input.principal?.subject {
            caller = try await database.withContext(.user(user)) { context in
                let (_, plan) = try await SubscriptionPeriods.current(for: user, in: context)
                return CallerCapabilities(
                    planCode: plan.code, modes: deploymentModes.filter { plan.modes.contains($0.rawValue) })
            }
        }
        var media = [MediaCapability(
            mediaType: .image, contentTypes: [.imagePng, .imageJpeg, .imageWebp],
            maxBytes: configuration.maxUploadBytes, maxPixels: configuration.maxPixels)]
        let video = configuration.video
        if video.tools != nil {
            media.append(MediaCapability(
                mediaType: .video, contentTypes: [.videoMp4, .videoQuicktime, .videoWebm], maxBytes: video.maxBytes, maxPixels: video.maxPixels,
                maxDurationSeconds: video.maxDurationSeconds, maxFrameRate: video.maxFrameRate))
        }
        return .ok(Capabilities(
            modes: deploymentModes, defaultMode: .fast, autoDetect: true, canvas: Canvas(width: 1920, height: 1080),
            media: media,
            uploadPolicyTtlSeconds: configuration.uploadPolicyTTLSeconds, resultTtlSeconds: configuration.resultTTLSeconds, caller: caller))
    }

    func getHealth(_ input: Operations.GetHealth.Input, context: Context) async throws -> Operations.GetHealth.Output {
        async let databaseUp = Self.databaseIsUp(database)
        let storageUp = await storage.isWritable()
        let checks: [String: HealthStatus] = ["database": await databaseUp ? .up : .down, "storage": storageUp ? .up : .down]
        let down = checks.filter { $0.value == .down }.keys.sorted()
        guard down.isEmpty else {
            throw Operations.GetHealth.Failure.dependencyUnavailable("unavailable: \(down.joined(separator: ", "))")
        }
        return .ok(Health(status: .up, version: configuration.version, checks: checks))
    }

    /// Whether the database answers `SELECT 1` within two seconds.
    static func databaseIsUp(_ database: Database) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await database.client.query("SELECT 1", logger: database.logger)) != nil }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
