/// One server-sent event: its `id` (what `Last-Event-ID` resumes after), its `event` name and its
/// `data` decoded as the operation's event schema.
public struct ServerSentEvent<Event: Sendable>: Sendable {
    public var id: String?
    public var name: String?
    public var data: Event
}
