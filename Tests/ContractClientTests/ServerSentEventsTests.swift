@testable import ContractClient
import ContractRuntime
import Testing

@Suite("server-sent events")
struct ServerSentEventsTests {
    @Test func eventsAreParsedWhateverTheChunks() {
        let text = ": comment\r\nid: 1\r\nevent: task\r\ndata: {\"a\":1}\r\n\r\nid: 2\ndata: [1,\ndata: 2]\n\ndata: no id\n\n"
        let bytes = Array(text.utf8)
        var whole = EventStreamParser()
        let expected = whole.feed(bytes)
        #expect(expected == [
            .init(id: "1", name: "task", data: #"{"a":1}"#), .init(id: "2", name: nil, data: "[1,\n2]"), .init(id: "2", name: nil, data: "no id"),
        ])
        for split in 1..<bytes.count {
            var parser = EventStreamParser()
            #expect(parser.feed(Array(bytes[..<split])) + parser.feed(Array(bytes[split...])) == expected, "split at \(split)")
        }
    }

    @Test func aDroppedStreamResumesAfterTheLastEvent() async throws {
        struct Dropped: Error {}
        func stream(_ chunks: [String], thenFail: Bool) -> AsyncThrowingStream<[UInt8], any Error> {
            AsyncThrowingStream { continuation in
                for chunk in chunks { continuation.yield(Array(chunk.utf8)) }
                continuation.finish(throwing: thenFail ? Dropped() : nil)
            }
        }
        let transport = ScriptedTransport([
            .success(ClientResponse(status: 200, headers: [], body: [], stream: stream(["id: 1\ndata: 10\n\nid: 2\nda", "ta: 20\n\nid: 3\ndata: 3"], thenFail: true))),
            .success(ClientResponse(status: 200, headers: [], body: [], stream: stream(["id: 3\ndata: 30\n\n"], thenFail: false))),
        ])
        let client = ContractClient(baseURL: "http://service", transport: transport)
        let events = ServerSentEvents<Int>(core: client, operationID: "streamTaskEvents", request: { resumeAfter in
            var request = ClientRequest(operationID: "streamTaskEvents", method: "GET", pathTemplate: "/v1/tasks/t/events", sendsCredentials: false)
            request.setHeader("Last-Event-ID", resumeAfter)
            return request
        }, failure: { _ in nil })
        var received: [Int] = []
        for try await event in events { received.append(event.data) }
        #expect(received == [10, 20, 30], "the half-sent third event is not delivered twice or half")
        let sent = await transport.sent
        #expect(sent.map { $0.header("Last-Event-ID") } == [nil, "2"])
        #expect(sent.allSatisfy { $0.streams })
    }

    @Test func anErrorAnswerEndsTheSequenceWithTheDeclaredFailure() async throws {
        struct NotFound: Error, Equatable { var code: Int }
        let transport = ScriptedTransport([ScriptedTransport.answer(404, body: #"{"code":40401,"message":"no such task","requestId":"r1"}"#)])
        let events = ServerSentEvents<Int>(
            core: ContractClient(baseURL: "http://service", transport: transport), operationID: "streamTaskEvents",
            request: { _ in ClientRequest(operationID: "streamTaskEvents", method: "GET", pathTemplate: "/x", sendsCredentials: false) },
            failure: { answer in answer.code == 40401 ? NotFound(code: answer.code) : nil })
        await #expect(throws: NotFound(code: 40401)) {
            for try await _ in events {}
        }
    }
}
