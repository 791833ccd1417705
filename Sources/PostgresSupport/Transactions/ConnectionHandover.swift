import PostgresNIO
import Synchronization

/// Hands a pooled connection from the task that leases it to the caller that waits for it, so the caller
/// can stop waiting without waiting for the lease.
///
/// PostgresNIO's lease does not always end when its task is cancelled (a cancellation that arrives before
/// the request is queued is lost, and the request then waits as long as the server is down). A caller
/// that awaited the lease itself could therefore hang through a whole outage, whatever its timer said.
/// Instead an unstructured task leases the connection and `lend`s it here; the caller takes it with
/// `connection()`, and may `abandon` the wait (timer, cancellation) at any moment: a connection lent
/// after that goes straight back to the pool.
final class ConnectionHandover: Sendable {
    private enum State {
        /// Nobody has moved yet.
        case idle
        /// The caller waits for a connection.
        case callerWaiting(CheckedContinuation<PostgresConnection, any Error>)
        /// The lease came first; it waits for the caller to take and release the connection.
        case lent(PostgresConnection, release: CheckedContinuation<Void, Never>)
        /// The caller uses the connection; the lease waits for `release`.
        case inUse(release: CheckedContinuation<Void, Never>)
        /// The wait ended without a connection (the error says why), or the connection was released.
        case finished(any Error)
    }

    private let state = Mutex<State>(.idle)

    /// Called by the lease task with its connection; returns once the caller released it, or at once
    /// when the caller stopped waiting.
    func lend(_ connection: PostgresConnection) async {
        await withCheckedContinuation { (release: CheckedContinuation<Void, Never>) in
            let waiting: CheckedContinuation<PostgresConnection, any Error>? = state.withLock { state in
                switch state {
                case .idle:
                    state = .lent(connection, release: release)
                    return nil
                case .callerWaiting(let caller):
                    state = .inUse(release: release)
                    return caller
                case .lent, .inUse, .finished:
                    release.resume()
                    return nil
                }
            }
            waiting?.resume(returning: connection)
        }
    }

    /// Ends the wait with `error` if the caller has no connection yet (a connection lent later goes back): the
    /// caller's timer or cancellation, or the lease task when the pool gave no connection.
    func abandon(_ error: any Error) {
        let (caller, release): (CheckedContinuation<PostgresConnection, any Error>?, CheckedContinuation<Void, Never>?) =
            state.withLock { state in
                switch state {
                case .idle:
                    state = .finished(error)
                    return (nil, nil)
                case .callerWaiting(let caller):
                    state = .finished(error)
                    return (caller, nil)
                case .lent(_, let release):
                    state = .finished(error)
                    return (nil, release)
                case .inUse, .finished:
                    return (nil, nil)
                }
            }
        caller?.resume(throwing: error)
        release?.resume()
    }

    /// The lent connection, once there is one; throws what ended the wait otherwise.
    func connection() async throws -> PostgresConnection {
        try await withCheckedThrowingContinuation { (caller: CheckedContinuation<PostgresConnection, any Error>) in
            let outcome: Result<PostgresConnection, any Error>? = state.withLock { state in
                switch state {
                case .idle:
                    state = .callerWaiting(caller)
                    return nil
                case .lent(let connection, let release):
                    state = .inUse(release: release)
                    return .success(connection)
                case .finished(let error):
                    return .failure(error)
                case .callerWaiting, .inUse:
                    return .failure(ConnectionHandoverMisuse())
                }
            }
            if let outcome { caller.resume(with: outcome) }
        }
    }

    /// Gives the connection back to the pool (the lease task returns).
    func release() {
        let release: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard case .inUse(let release) = state else { return nil }
            state = .finished(ConnectionHandoverMisuse())
            return release
        }
        release?.resume()
    }
}

/// `ConnectionHandover.connection()` was called twice: a programming error, thrown rather than trapped.
struct ConnectionHandoverMisuse: Error {}
