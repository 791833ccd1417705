import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Records which catalog error each request got (`METHOD path code`, one line per error response)
/// into the file named by `ERROR_COVERAGE_FILE`, so `scripts/error-coverage` can check that every
/// error code an operation declares is produced by at least one test. Without the variable it
/// records nothing.
final class ErrorCoverage: Sendable {
    static let shared = ErrorCoverage(path: ProcessInfo.processInfo.environment["ERROR_COVERAGE_FILE"])

    private let file: Mutex<FileHandle?>

    init(path: String?) {
        guard let path, !path.isEmpty else {
            file = Mutex(nil)
            return
        }
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
        file = Mutex(handle)
    }

    var isRecording: Bool { file.withLock { $0 != nil } }

    func record(method: String, path: String, code: Int64) {
        file.withLock { handle in
            handle?.write(Data("\(method) \(path) \(code)\n".utf8))
        }
    }
}

/// The service's router with every error response's catalog code recorded in `ErrorCoverage`.
struct ErrorRecordingRouter<Builder: HTTPResponderBuilder>: HTTPResponderBuilder {
    let router: Builder

    func buildResponder() -> Responder {
        Responder(inner: router.buildResponder())
    }

    struct Responder: HTTPResponder {
        let inner: Builder.Responder

        func respond(to request: Request, context: Builder.Responder.Context) async throws -> Response {
            var response = try await inner.respond(to: request, context: context)
            guard response.status.code >= 400, ErrorCoverage.shared.isRecording else { return response }
            // Error envelopes are small, finite JSON documents: collect, read the code, and send the same bytes on.
            let sink = CollectedBody()
            try await response.body.write(CollectingWriter(sink: sink))
            let bytes = sink.bytes
            response.body = ResponseBody(byteBuffer: bytes)
            if case .object(let envelope) = try? JSONParser.parse(Array(bytes.readableBytesView)), case .integer(let code)? = envelope["code"] {
                ErrorCoverage.shared.record(method: request.method.rawValue, path: request.uri.path, code: code)
            }
            return response
        }
    }
}

/// The bytes a response body wrote.
private final class CollectedBody: Sendable {
    private let buffer = Mutex(ByteBuffer())
    var bytes: ByteBuffer { buffer.withLock { $0 } }
    func append(_ part: ByteBuffer) { _ = buffer.withLock { $0.writeImmutableBuffer(part) } }
}

private struct CollectingWriter: ResponseBodyWriter {
    let sink: CollectedBody
    mutating func write(_ buffer: ByteBuffer) async throws { sink.append(buffer) }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
