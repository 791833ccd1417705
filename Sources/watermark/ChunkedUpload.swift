import ContractClient
import ContractRuntime
import Crypto
import Foundation
import WatermarkClient

/// A video's resumable upload as `watermark submit` makes it (`method: PATCH` policies): asks the upload URL where
/// to start (0, or where an interrupted earlier run stopped), sends chunks of the policy's size read from the file,
/// each with its offset and SHA-256, and after a chunk that did not arrive (a dropped connection, a damaged chunk,
/// a 5xx) asks again and resumes there, up to `attempts` times in a row.
struct ChunkedUpload {
    let file: SourceFile
    let policy: UploadPolicy
    let client: APIClient
    var attempts = 5

    /// Uploads what is missing; `report` hears the percentage sent.
    func run(report: (Int) -> Void) async throws {
        let chunkBytes = Int(policy.chunkBytes ?? 8 << 20)
        var offset = try await resumeOffset()
        var failures = 0
        while offset < file.size {
            report(Int(offset * 100 / max(1, file.size)))
            let chunk = try file.bytes(at: offset, count: min(chunkBytes, Int(file.size - offset)))
            var request = ClientRequest(presignedURL: policy.uploadUrl, method: "PATCH")
            for (header, value) in policy.headers { request.setHeader(header, value) }
            request.setHeader("Upload-Offset", String(offset))
            request.setHeader("Chunk-SHA256", SHA256.hash(data: chunk).map { String(format: "%02x", $0) }.joined())
            request.body = chunk
            let answer = try? await client.core.send(request)
            if let answer, answer.status == 200 {
                offset += Int64(chunk.count)
                failures = 0
                continue
            }
            // Refusals of the file itself (its type, its header, its size) end the upload; the rest is tried again.
            if let answer, let error = ErrorAnswer(answer), [41301, 41501, 42201].contains(error.code)
                || (error.code == 40001 && !error.details.contains { $0.field == "/header/Chunk-SHA256" })
            {
                throw CommandFailure(error.code == 42201 ? .service : .refused, "upload refused: \(error.description)")
            }
            failures += 1
            guard failures < attempts else {
                throw CommandFailure(.service, "the upload failed \(attempts) times in a row at byte \(offset): \(answer.map { "HTTP \($0.status) \($0.excerpt)" } ?? "no answer")")
            }
            try await Task.sleep(for: .milliseconds(250 << failures))
            offset = try await resumeOffset()
        }
        report(100)
    }

    /// Where the service's copy ends (the size once the file is complete).
    private func resumeOffset() async throws -> Int64 {
        let answer = try await client.core.send(ClientRequest(presignedURL: policy.uploadUrl, method: "GET"))
        guard answer.status == 200, case .object(let envelope) = try JSONParser.parse(answer.body),
              case .object(let data)? = envelope["data"], let progress = try? UploadProgress.decode(json: .object(data))
        else { throw CommandFailure(.service, "the upload's progress is unavailable: HTTP \(answer.status)") }
        return progress.status == .uploaded ? file.size : progress.receivedBytes
    }
}
