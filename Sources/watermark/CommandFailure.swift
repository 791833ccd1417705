import ArgumentParser

/// Why a client command stopped, with the exit code each kind of outcome has (see `watermark submit --help`).
struct CommandFailure: Error, CustomStringConvertible {
    enum Kind: Int32 {
        /// An image or option the service refuses (not an image, too large, quota, bad mask).
        case refused = 3
        /// A task ended FAILED or CANCELED.
        case taskFailed = 4
        /// No session, or the session ended: sign in again.
        case signIn = 5
        /// The service could not be reached or answered something unexpected.
        case service = 6
    }

    var kind: Kind
    var message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var description: String { message }
    var exitCode: ExitCode { ExitCode(kind.rawValue) }
}
