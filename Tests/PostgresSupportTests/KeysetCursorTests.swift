import Foundation
import NIOCore
import PostgresNIO
import PostgresSupport
import Testing

/// A cursor's timestamp must be bound as exactly the microsecond it names: PostgresNIO truncates when it
/// encodes a date, so one a fraction below would make a keyset page repeat the previous page's last row.
@Suite struct KeysetCursorTests {
    @Test func aTimestampFromACursorIsBoundAsTheMicrosecondItNames() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let micros = Int64.random(in: 1_750_000_000_000_000...1_900_000_000_000_000, using: &generator)
            let cursor = try KeysetCursor(KeysetCursor(values: [String(micros)]).description, count: 1)
            let date = try cursor.value(0, as: Date.self)
            #expect(date.keysetText == String(micros))
            var buffer = ByteBuffer()
            date.encode(into: &buffer, context: .default)
            #expect(buffer.readInteger(as: Int64.self) == micros - 946_684_800_000_000, "\(micros)")
        }
    }
}
