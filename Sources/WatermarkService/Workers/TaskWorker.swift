import Foundation
import InpaintCore
import Logging
import PostgresSupport
import ServiceLifecycle
import Tracing
import VideoCore
import WatermarkDatabase

/// The task pipeline's workers in one process, as a service (`watermark serve` runs it beside the
/// API, `watermark worker` on its own; any number of processes share one PostgreSQL): each of
/// `settings.concurrency` image slots and `settings.videoConcurrency` video slots (separate, so a long
/// video never holds up images) claims one runnable task of its kind (`FOR UPDATE SKIP LOCKED`, so two
/// workers never get the same task), keeps its lease alive by heartbeat while `TaskProcessor`
/// runs it, and records how it ended. A heartbeat that finds the lease gone (the task was
/// canceled, or recovered by another worker) stops the work at its next check. One more loop
/// re-queues tasks whose lease expired. On graceful shutdown the slots stop claiming and finish
/// the task in hand; if the shutdown is forced, the task is handed back to the queue.
public struct TaskWorker: Service {
    let steps: TaskPipelineSteps
    let processor: TaskProcessor
    /// Runs video tasks; nil when this process takes none (no FFmpeg).
    let videoProcessor: VideoTaskProcessor?
    let settings: WorkerSettings
    let metrics: ServiceMetrics
    let logger: Logger

    public init(
        database: Database, storage: any ObjectStorage, configuration: ServiceConfiguration, settings: WorkerSettings,
        metrics: ServiceMetrics
    ) {
        let steps = TaskPipelineSteps(database: database, storage: storage, resultLifetime: TimeInterval(configuration.resultTTLSeconds))
        var processor = TaskProcessor(
            steps: steps, maxSourceBytes: Int(configuration.maxUploadBytes), maxPixels: Int(configuration.maxPixels), metrics: metrics)
        if settings.skipsInpainting { processor.inpaint = { image, _, _, _ in image } }
        let videoProcessor = configuration.video.tools.map {
            VideoTaskProcessor(steps: steps, tools: $0, settings: configuration.video, metrics: metrics)
        }
        self.init(steps: steps, processor: processor, videoProcessor: videoProcessor, settings: settings, metrics: metrics, logger: database.logger)
    }

    init(
        steps: TaskPipelineSteps, processor: TaskProcessor, videoProcessor: VideoTaskProcessor? = nil, settings: WorkerSettings,
        metrics: ServiceMetrics, logger: Logger
    ) {
        self.steps = steps
        self.processor = processor
        self.videoProcessor = videoProcessor
        self.settings = settings
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "worker"] = .string(settings.owner)
        self.logger = logger
    }

    public func run() async throws {
        let videoSlots = videoProcessor == nil ? 0 : settings.videoConcurrency
        logger.info("task worker started", metadata: [
            "concurrency": "\(settings.concurrency)", "video_concurrency": "\(videoSlots)", "lease_seconds": "\(settings.leaseSeconds)",
        ])
        await withDiscardingTaskGroup { group in
            for _ in 0..<settings.concurrency {
                group.addTask { await self.claimLoop(mediaType: .image) }
            }
            for _ in 0..<videoSlots {
                group.addTask { await self.claimLoop(mediaType: .video) }
            }
            group.addTask { await self.recoveryLoop() }
        }
        logger.info("task worker stopped")
    }

    /// One slot: claim a task of `mediaType`, work on it, repeat; wait `pollInterval` when the queue is empty.
    private func claimLoop(mediaType: MediaTypeEnum) async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                if let task = try await steps.claimNext(owner: settings.owner, lease: settings.leaseSeconds, mediaType: mediaType) {
                    await work(on: task)
                    continue
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("claiming a task failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            await pause()
        }
    }

    /// Re-queues tasks whose worker stopped renewing its lease and updates `queue_depth`, every lease period / 3.
    private func recoveryLoop() async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let queued = try await steps.database.withSystemStatements { try await NamedQueries($0).countQueuedTasks()?.queued ?? 0 }
                metrics.queueDepth(queued)
                for task in try await steps.recoverExpiredLeases(limit: 50, policy: settings.retry) {
                    logger.with(taskID: task.id).warning("recovered a task whose lease expired", metadata: ["status": "\(task.status.rawValue)"])
                    if task.status == .failed {
                        metrics.taskFinished(status: task.status, mode: task.mode.rawValue)
                        metrics.deadLetterWritten(source: "TASK")
                    }
                }
            } catch {
                logger.warning("recovering expired leases failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.heartbeatInterval) }
        }
    }

    private func pause() async {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
    }

    /// Runs `claimed` with its lease kept alive, then records the outcome, in a span that continues
    /// the trace of the request that created the task.
    func work(on next: ClaimedTask) async {
        await withSpan("task", context: TaskTraceContext.continuing(next.task.traceParent), ofKind: .consumer) { span in
            span.attributes["watermark.task.id"] = next.task.id.uuidString.lowercased()
            span.attributes["watermark.task.attempt"] = Int(next.task.attempt)
            await process(next)
        }
    }

    private func process(_ next: ClaimedTask) async {
        let claimed = next.task
        let token = CancellationToken()
        let taskLogger = logger.with(taskID: claimed.id)
        let outcome: Result<TaskRow, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.keepLease(of: claimed.id, token: token, logger: taskLogger) }
            let outcome = await withTaskCancellationHandler {
                await Result(catching: {
                    if next.task.mediaType == .video, let videoProcessor {
                        return try await videoProcessor.run(next, token: token)
                    }
                    return try await processor.run(next, token: token)
                })
            } onCancel: {
                token.cancel()
            }
            group.cancelAll()
            return outcome
        }
        switch outcome {
        case .success(let done):
            taskLogger.info("task succeeded", metadata: ["attempt": "\(done.attempt)"])
            metrics.taskFinished(status: done.status, mode: done.mode.rawValue)
        case .failure(let refusal as TaskStateMachine.Refusal):
            taskLogger.info("task changed while it was processed (canceled, or taken over); stopped", metadata: ["reason": "\(refusal.message)"])
        case .failure where Task.isCancelled:
            // A forced shutdown (whatever the work threw on its way out): hand the task back
            // rather than leave it for lease recovery.
            let released = await Task { try? await steps.release(claimed.id, owner: settings.owner) }.value
            taskLogger.info("task handed back on shutdown", metadata: ["released": "\(released != nil)"])
        case .failure(InpaintError.cancelled) where token.isCancelled, .failure(VideoError.cancelled) where token.isCancelled:
            taskLogger.info("task stopped: its lease is gone (canceled or taken over)")
        case .failure(let error):
            await record(error, of: claimed, logger: taskLogger)
        }
    }

    /// Queues the task again or fails it, per its failure and the retry policy.
    private func record(_ error: any Error, of task: TaskRow, logger: Logger) async {
        let failure = TaskFailure.classify(error)
        let cause = String(reflecting: error)
        do {
            let settled = try await steps.settleFailure(of: task.id, owner: settings.owner, failure: failure, cause: cause, policy: settings.retry)
            switch settled?.status {
            case .queued?:
                logger.warning("task failed; retrying", metadata: ["code": "\(failure.code.rawValue)", "cause": "\(cause)", "retry": "\(settled!.retries)"])
            case .failed?:
                logger.error("task failed", metadata: ["code": "\(failure.code.rawValue)", "cause": "\(cause)"])
                metrics.taskFinished(status: .failed, mode: task.mode.rawValue)
                metrics.deadLetterWritten(source: "TASK")
            default:
                logger.info("task failed after it left this worker; nothing recorded", metadata: ["cause": "\(cause)"])
            }
        } catch {
            // The lease runs out and recovery retries the task.
            logger.error("recording a task failure failed", metadata: ["cause": "\(cause)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Renews the lease every `heartbeatInterval` until cancelled; when a renewal finds no lease
    /// (the task was canceled or recovered elsewhere) it cancels `token`, which stops the work.
    private func keepLease(of taskID: UUID, token: CancellationToken, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: settings.heartbeatInterval)
            } catch {
                return
            }
            do {
                let renewed = try await steps.database.withSystemStatements { context in
                    try await NamedQueries(context).heartbeatTask(id: taskID, leaseOwner: settings.owner, leaseSeconds: settings.leaseSeconds)
                }
                if renewed == 0 {
                    logger.info("lease lost; stopping the task")
                    token.cancel()
                    return
                }
            } catch {
                logger.warning("renewing a lease failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }
}

extension Logger {
    fileprivate func with(taskID: UUID) -> Logger {
        var logger = self
        logger[metadataKey: "task_id"] = .string(taskID.uuidString.lowercased())
        return logger
    }
}

extension Result where Failure == any Error {
    fileprivate init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
