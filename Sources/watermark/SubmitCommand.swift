import ArgumentParser
import ContractClient
import ContractRuntime
import Crypto
import Foundation
import WatermarkClient

/// `watermark submit --server URL FILE... [--mask M.json | --auto] [--mode fast|quality] -o DIR`: what a
/// user with a folder of images or videos does through the generated client — upload each (a video in resumable
/// chunks where the service asks for them), create its task,
/// follow it on the event stream with a progress bar, download the result. Every request that
/// creates something carries an idempotency key derived from the image and options, so running it
/// again after an interruption continues the same tasks instead of creating new ones.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Remove watermarks from images and videos through a running service.",
        discussion: """
            Sign in first with `watermark login`. Results are written to DIR as NAME.clean.EXT.
            Exit codes: 0 every image done; 3 the service refused an image or option (not an image, too \
            large, quota, mask); 4 a task failed or was canceled; 5 no session or it ended (sign in again); \
            6 the service could not be reached or answered unexpectedly. Later images are still processed \
            after a refused or failed one; the highest code wins.
            """)

    @Option(help: "The service's base URL, e.g. http://localhost:8080.") var server: String
    @Option(name: .customLong("token-file"), help: "The session from `watermark login` (default: $WATERMARK_TOKEN_FILE or ~/.config/watermark/tokens.json).")
    var tokenFile: String?
    @Option(help: "A mask as the API takes it: JSON {\"polygons\": …, \"strokes\": …} in the 1920×1080 canvas.") var mask: String?
    @Flag(help: "Detect the watermark instead of taking a mask.") var auto = false
    @Option(help: "fast (default) or quality.") var mode: String = "fast"
    @Option(name: [.customShort("o"), .customLong("output")], help: "Directory for the results.") var output: String
    @Argument(help: "PNG, JPEG or WebP images; MP4, MOV or WebM videos (FAST mode).") var images: [String]

    func validate() throws {
        guard (mask != nil) != auto else { throw ValidationError("give either --mask FILE or --auto") }
        guard ["fast", "quality"].contains(mode) else { throw ValidationError("--mode must be fast or quality") }
        guard !images.isEmpty else { throw ValidationError("name at least one image") }
    }

    func run() async throws {
        let tokens = TokenFile(tokenFile)
        let session: TokenSession
        do { session = try ServiceConnection.session(server: server, tokenFile: tokens) } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("submit: \(failure.message)\n".utf8))
            throw failure.exitCode
        }
        let client = ServiceConnection.client(server: server, session: session)
        let drawn = try mask.map(Self.readMask)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var worst: CommandFailure.Kind?
        for image in images {
            do {
                let written = try await process(image, client: client, mask: drawn)
                print(written)
            } catch let failure as CommandFailure {
                FileHandle.standardError.write(Data("\(image): \(failure.message)\n".utf8))
                if failure.kind == .signIn { throw failure.exitCode }
                worst = max(worst?.rawValue ?? 0, failure.kind.rawValue) == failure.kind.rawValue ? failure.kind : worst
            }
        }
        if let worst { throw ExitCode(worst.rawValue) }
    }

    static func readMask(_ path: String) throws -> MaskInput {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the mask \(path)") }
        do {
            return try MaskInput.decode(json: try JSONParser.parse(Array(data)))
        } catch {
            throw ValidationError("\(path) is not a mask: \(error)")
        }
    }

    /// Uploads, processes and downloads one image or video; returns the result's path.
    func process(_ path: String, client: APIClient, mask: MaskInput?) async throws -> String {
        guard let file = try SourceFile(path: path) else { throw CommandFailure(.refused, "not a PNG, JPEG or WebP image, nor an MP4, MOV or WebM video") }
        let digest = file.sha256
        let name = (path as NSString).lastPathComponent
        let options = mask.map { "mask-" + SHA256.hash(data: JSONSerializer.serialize($0.json)).prefix(8).map { String(format: "%02x", $0) }.joined() } ?? "auto"
        var progress = ProgressLine(name: name)
        do {
            // 1. The asset: the same policy (and asset) again on a re-run; its bytes once (a video's resumed where they stopped).
            guard case .created(let policy) = try await client.createUploadPolicy(
                idempotencyKey: "submit-upload-\(digest)",
                body: UploadPolicyRequest(fileName: name, contentType: file.contentType, sizeBytes: file.size, sha256: digest))
            else { throw CommandFailure(.service, "unexpected answer to the upload policy") }
            if policy.method == .patch {
                try await ChunkedUpload(file: file, policy: policy, client: client).run { progress.show(status: "UPLOADING", progress: $0) }
            } else {
                var upload = ClientRequest(presignedURL: policy.uploadUrl, method: policy.method.rawValue)
                for (header, value) in policy.headers { upload.setHeader(header, value) }
                upload.body = try file.bytes(at: 0, count: Int(file.size))
                let stored = try await client.core.send(upload)
                // 42201: uploaded already (an earlier run got this far).
                guard stored.status == 200 || ErrorAnswer(stored)?.code == 42201 else {
                    throw CommandFailure(stored.status == 413 || stored.status == 415 || stored.status == 400 ? .refused : .service,
                                         "upload refused: \(ErrorAnswer(stored)?.description ?? "HTTP \(stored.status)")")
                }
            }
            progress.show(status: "UPLOADED", progress: 0)

            // 2. The task: one per image, mode and mask, whatever the number of runs.
            let request = CreateTaskRequest(
                assetId: policy.assetId, mediaType: file.isVideo ? .video : .image, mode: mode == "quality" ? .quality : .fast, mask: mask,
                autoDetect: mask == nil)
            guard case .created(let task) = try await client.createTask(idempotencyKey: "submit-task-\(digest)-\(mode)-\(options)", body: request)
            else { throw CommandFailure(.service, "unexpected answer to the task") }

            // 3. Its progress, live; polled when the stream cannot be kept open.
            var status = task.status
            do {
                for try await event in try client.streamTaskEvents(taskId: task.id) {
                    status = event.data.status
                    progress.show(status: status.rawValue, progress: event.data.progress)
                    if Self.isFinal(status) { break }
                }
            } catch is ClientOperations.StreamTaskEvents.Failure {
                throw CommandFailure(.service, "the task's events are not available")
            } catch let error as ContractClientError {
                throw error
            } catch {
                // The stream broke for good: poll every 3 s, backing off to 15 s.
                var wait = 3
                while !Self.isFinal(status) {
                    try await Task.sleep(for: .seconds(wait))
                    wait = min(15, wait * 2)
                    guard case .ok(let current) = try await client.getTask(taskId: task.id) else { break }
                    status = current.status
                    progress.show(status: status.rawValue, progress: current.progress)
                }
            }
            guard case .ok(let finished) = try await client.getTask(taskId: task.id) else { throw CommandFailure(.service, "unexpected answer to the task") }
            guard finished.status == .succeeded else {
                progress.finish("\(name): \(finished.status.rawValue)")
                let reason = finished.errorMessage ?? "no reason given"
                throw CommandFailure(.taskFailed, "task \(finished.id) \(finished.status.rawValue): \(reason)")
            }

            // 4. The result.
            guard case .ok(let result) = try await client.getTaskResult(taskId: task.id) else { throw CommandFailure(.service, "unexpected answer to the result") }
            // Streamed to a partial file (a video's result can be gigabytes), which takes the result's name once whole.
            var fetch = ClientRequest(presignedURL: result.resultUrl, method: "GET")
            fetch.streams = true
            let download = try await client.core.send(fetch)
            guard download.status == 200, let chunks = download.stream else { throw CommandFailure(.service, "download failed: HTTP \(download.status)") }
            let stem = (name as NSString).deletingPathExtension
            let target = (output as NSString).appendingPathComponent("\(stem).clean.\(Self.fileExtension(result.contentType))")
            let partial = target + ".partial"
            guard FileManager.default.createFile(atPath: partial, contents: nil), let file = FileHandle(forWritingAtPath: partial) else {
                throw CommandFailure(.service, "cannot write \(partial)")
            }
            do {
                defer { try? file.close() }
                for try await chunk in chunks { try file.write(contentsOf: chunk) }
            } catch {
                try? FileManager.default.removeItem(atPath: partial)
                throw CommandFailure(.service, "download of \(name)'s result stopped: \(error)")
            }
            guard rename(partial, target) == 0 else { throw CommandFailure(.service, "cannot write \(target)") }
            progress.finish("\(name): done")
            return target
        } catch let failure as CommandFailure {
            throw failure
        } catch let error as ContractClientError {
            throw CommandFailure(.service, error.description)
        } catch let failure as any Error & CustomStringConvertible where Self.isDeclaredFailure(failure) {
            throw CommandFailure(Self.kind(of: failure), failure.description)
        } catch {
            throw CommandFailure(.service, "the service could not be reached: \(error)")
        }
    }

    static func isFinal(_ status: TaskStatus) -> Bool { [.succeeded, .failed, .canceled].contains(status) }

    /// A declared error answer of one of the operations above.
    static func isDeclaredFailure(_ error: any Error) -> Bool {
        error is ClientOperations.CreateUploadPolicy.Failure || error is ClientOperations.CreateTask.Failure
            || error is ClientOperations.GetTask.Failure || error is ClientOperations.GetTaskResult.Failure
    }

    static func kind(of failure: any Error) -> CommandFailure.Kind {
        let code: Int? = switch failure {
        case let failure as ClientOperations.CreateUploadPolicy.Failure: failure.answer.code
        case let failure as ClientOperations.CreateTask.Failure: failure.answer.code
        case let failure as ClientOperations.GetTask.Failure: failure.answer.code
        case let failure as ClientOperations.GetTaskResult.Failure: failure.answer.code
        default: nil
        }
        switch code {
        case 40101, 40102: return .signIn
        case .some(let code) where code >= 50000: return .service
        default: return .refused
        }
    }

    static func fileExtension(_ type: ContentType) -> String {
        switch type {
        case .imagePng: "png"
        case .imageJpeg: "jpg"
        case .imageWebp: "webp"
        case .videoMp4: "mp4"
        case .videoQuicktime: "mov"
        case .videoWebm: "webm"
        }
    }
}
