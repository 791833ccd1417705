import ContractRuntime

/// The events of an operation that answers `text/event-stream`, typed by its `x-event-schema`, as an
/// `AsyncSequence`. A dropped connection is opened again with `Last-Event-ID` (the last event's id),
/// so no event is lost or seen twice; the sequence ends when the server ends the stream.
public struct ServerSentEvents<Event: JSONConvertible>: AsyncSequence, Sendable {
    public typealias Element = ServerSentEvent<Event>

    let core: ContractClient
    let operationID: String
    /// The request, resuming after the given event id when there is one.
    let request: @Sendable (String?) -> ClientRequest
    /// The operation's typed failure for an error answer it declares.
    let failure: @Sendable (ErrorAnswer) -> (any Error)?
    /// Connections opened again after a drop before giving up.
    public var reconnects: Int

    public init(
        core: ContractClient, operationID: String, reconnects: Int = 5, request: @escaping @Sendable (String?) -> ClientRequest,
        failure: @escaping @Sendable (ErrorAnswer) -> (any Error)?
    ) {
        self.core = core
        self.operationID = operationID
        self.reconnects = reconnects
        self.request = request
        self.failure = failure
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<Element, any Error>.Iterator {
        let (stream, continuation) = AsyncThrowingStream<Element, any Error>.makeStream()
        let reader = Task { [self] in
            do {
                try await run(continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in reader.cancel() }
        return stream.makeAsyncIterator()
    }

    private func run(_ continuation: AsyncThrowingStream<Element, any Error>.Continuation) async throws {
        var lastID: String?
        var drops = 0
        /// Waits before opening the connection again, or rethrows when it dropped too often.
        func dropped(_ error: any Error) async throws {
            if error is CancellationError { throw error }
            drops += 1
            guard drops <= reconnects else { throw error }
            try await Task.sleep(for: .milliseconds(200 * drops))
        }
        while true {
            var request = self.request(lastID)
            request.streams = true
            let response: ClientResponse
            do {
                response = try await core.send(request)
            } catch {
                try await dropped(error)
                continue
            }
            guard (200..<300).contains(response.status) else {
                if let answer = core.errorAnswer(response), let failure = failure(answer) { throw failure }
                throw ContractClientError.undeclaredResponse(operationID: operationID, status: response.status, excerpt: response.excerpt)
            }
            var parser = EventStreamParser()
            func deliver(_ chunk: [UInt8]) throws {
                for fields in parser.feed(chunk) {
                    var issues = FieldIssues()
                    guard let json = try? JSONParser.parse(fields.data), let event = Event(json: json, at: .root, issues: &issues), issues.isEmpty else {
                        throw ContractClientError.invalidResponse(
                            operationID: operationID, status: response.status,
                            details: issues.all.isEmpty ? [FieldIssue(field: "", reason: "an event's data is not JSON")] : issues.all)
                    }
                    if let id = fields.id { lastID = id }
                    continuation.yield(ServerSentEvent(id: fields.id, name: fields.name, data: event))
                }
            }
            guard let stream = response.stream else {
                try deliver(response.body)
                return
            }
            do {
                for try await chunk in stream {
                    try deliver(chunk)
                    drops = 0
                }
                return
            } catch let error as ContractClientError {
                throw error
            } catch {
                try await dropped(error)
            }
        }
    }
}
