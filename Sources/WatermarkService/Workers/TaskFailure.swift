import Foundation
import InpaintCore
import PostgresSupport
import VideoCore
import WatermarkAPI

/// Why processing a task stopped, as the task and its dead letter record it: a catalog code, a
/// message the user may read, and whether another attempt could succeed.
struct TaskFailure: Error, Equatable, CustomStringConvertible {
    let code: ErrorCode
    let message: String
    /// A passing cause (storage or database trouble): the task is queued again while retries last.
    let retryable: Bool

    var description: String { "\(code.rawValue): \(message)" }

    /// The failure `error` stands for: what the pipeline threw itself, the inpainting core's typed
    /// errors (an unreadable image is the user's to fix, never retried), and anything else as a
    /// retryable internal failure (its text stays in the logs and the dead letter, not the task).
    static func classify(_ error: any Error) -> TaskFailure {
        switch error {
        case let failure as TaskFailure:
            return failure
        case let error as InpaintError:
            switch error {
            case .imageCorrupt, .unsupportedImage, .imageTooLarge:
                return TaskFailure(code: .imageUnreadable, message: error.description, retryable: false)
            case .maskRequired:
                return TaskFailure(code: .watermarkNotFound, message: error.description, retryable: false)
            case .invalidArgument:
                return TaskFailure(code: .internal, message: "the image could not be processed", retryable: false)
            case .io, .cancelled:
                return TaskFailure(code: .internal, message: "processing was interrupted", retryable: true)
            }
        case let error as VideoError:
            switch error {
            case .videoCorrupt, .videoUnsupported, .encodeFailed:
                return TaskFailure(code: .videoUnreadable, message: error.message, retryable: false)
            case .invalidArgument:
                return TaskFailure(code: .invalidArgument, message: error.message, retryable: false)
            case .inpaint(let inner):
                return classify(inner)
            case .ffmpegUnavailable:
                return TaskFailure(code: .dependencyUnavailable, message: "video processing is unavailable on this worker", retryable: true)
            case .cancelled:
                return TaskFailure(code: .internal, message: "processing was interrupted", retryable: true)
            }
        case StorageError.tooLarge(_, let maxBytes):
            return TaskFailure(code: .payloadTooLarge, message: "the uploaded file is larger than \(maxBytes) bytes", retryable: false)
        case is StorageError:
            return TaskFailure(code: .dependencyUnavailable, message: "object storage is unavailable", retryable: true)
        case is DatabaseUnavailable:
            return TaskFailure(code: .dependencyUnavailable, message: "the database is unavailable", retryable: true)
        default:
            return TaskFailure(code: .internal, message: "processing failed unexpectedly", retryable: true)
        }
    }
}
