// Generated repository calls vs hand-written PostgresNIO doing the same statements, side by side in
// one run on an embedded PostgreSQL 15: insert, find by primary key, keyset page of 50.
//
//     swift run -c release repository-benchmark [--rounds 5] [--operations 2000]
//
// Each round runs the two variants alternately (A B, then B A) so drift on a noisy machine hits
// both; the report gives operations per second per variant (median over rounds) and the ratio.
import EmbeddedPostgres
import Foundation
import Logging
import PostgresNIO
import PostgresSupport
import WatermarkDatabase

struct Options {
    var rounds = 5
    var operations = 2000

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--rounds": rounds = iterator.next().flatMap(Int.init) ?? rounds
            case "--operations": operations = iterator.next().flatMap(Int.init) ?? operations
            default: FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8)); exit(2)
            }
        }
    }
}

/// The same statements written by hand, as a team would without the generator.
enum HandWritten {
    static let columns = #""id", "email", "password_hash", "display_name", "roles", "status", "deletion_scheduled_for", "version", "created_at", "updated_at""#

    struct User {
        var id: UUID, email: String, passwordHash: String, displayName: String, roles: [String], status: String
        var deletionScheduledFor: Date?, version: Int64, createdAt: Date, updatedAt: Date
    }

    static func decode(_ row: PostgresRow) throws -> User {
        let (id, email, hash, name, roles, status, deletion, version, created, updated) =
            try row.decode((UUID, String, String, String, [String], String, Date?, Int64, Date, Date).self)
        return User(id: id, email: email, passwordHash: hash, displayName: name, roles: roles, status: status,
                    deletionScheduledFor: deletion, version: version, createdAt: created, updatedAt: updated)
    }

    static func insert(_ connection: PostgresConnection, email: String, logger: Logger) async throws -> User {
        let rows = try await connection.query(
            "INSERT INTO \"users\" (\"email\", \"password_hash\", \"display_name\") VALUES (\(email), \("hash"), \("Bench")) RETURNING \(unescaped: columns)",
            logger: logger)
        for try await row in rows { return try decode(row) }
        fatalError("INSERT … RETURNING returned no row")
    }

    static func find(_ connection: PostgresConnection, id: UUID, logger: Logger) async throws -> User? {
        let rows = try await connection.query("SELECT \(unescaped: columns) FROM \"users\" WHERE \"id\" = \(id)", logger: logger)
        for try await row in rows { return try decode(row) }
        return nil
    }

    static func page(_ connection: PostgresConnection, after: UUID?, logger: Logger) async throws -> [User] {
        let query: PostgresQuery = after.map { "SELECT \(unescaped: columns) FROM \"users\" WHERE \"id\" > \($0) ORDER BY \"id\" LIMIT 51" }
            ?? "SELECT \(unescaped: columns) FROM \"users\" ORDER BY \"id\" LIMIT 51"
        var users: [User] = []
        for try await row in try await connection.query(query, logger: logger) { users.append(try decode(row)) }
        return Array(users.prefix(50))
    }
}

@main
struct RepositoryBenchmark {
    static func main() async throws {
        let options = Options(CommandLine.arguments)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let cluster = try EmbeddedPostgres.start()
        defer { cluster.stop() }
        try await cluster.createDatabase("bench")
        let client = PostgresClient(configuration: cluster.configuration(database: "bench"), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
            try await MigrationRunner(client: client, migrations: try MigrationSet.load(directory: root + "/contracts/db/migrations"), logger: logger).up()
            try await client.withConnection { connection in
                try await run(options, connection: connection, logger: logger)
            }
        }
    }

    /// Seconds taken by `body`.
    static func time(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func run(_ options: Options, connection: PostgresConnection, logger: Logger) async throws {
        let repository = UserRepository(RepositoryContext(connection, logger: logger))
        var counter = 0
        var ids: [UUID] = []
        var results: [String: (generated: [Double], hand: [Double])] = [:]
        let n = options.operations

        for round in 0..<options.rounds {
            let generatedFirst = round % 2 == 0
            func measure(_ name: String, generated: () async throws -> Void, hand: () async throws -> Void) async throws {
                var g = 0.0, h = 0.0
                if generatedFirst {
                    g = try await time(generated)
                    h = try await time(hand)
                } else {
                    h = try await time(hand)
                    g = try await time(generated)
                }
                results[name, default: ([], [])].generated.append(Double(n) / g)
                results[name, default: ([], [])].hand.append(Double(n) / h)
            }
            try await measure("insert", generated: {
                for _ in 0..<n {
                    counter += 1
                    ids.append(try await repository.insert(NewUser(email: "g\(counter)@bench.example", passwordHash: "hash", displayName: "Bench")).id)
                }
            }, hand: {
                for _ in 0..<n {
                    counter += 1
                    ids.append(try await HandWritten.insert(connection, email: "h\(counter)@bench.example", logger: logger).id)
                }
            })
            try await measure("find by primary key", generated: {
                for index in 0..<n { _ = try await repository.find(id: ids[(index * 7919) % ids.count]) }
            }, hand: {
                for index in 0..<n { _ = try await HandWritten.find(connection, id: ids[(index * 7919) % ids.count], logger: logger) }
            })
            try await measure("keyset page of 50", generated: {
                var cursor: KeysetCursor?
                for _ in 0..<n {
                    let page = try await repository.list(after: cursor, limit: 50)
                    cursor = page.next
                }
            }, hand: {
                var after: UUID?
                for _ in 0..<n {
                    let page = try await HandWritten.page(connection, after: after, logger: logger)
                    after = page.count == 50 ? page.last?.id : nil
                }
            })
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print("| operation | generated ops/s | hand-written ops/s | generated / hand-written |")
        print("|---|---|---|---|")
        for name in ["insert", "find by primary key", "keyset page of 50"] {
            let (generated, hand) = results[name]!
            let ratios = zip(generated, hand).map { $0 / $1 }
            print("| \(name) | \(Int(median(generated))) | \(Int(median(hand))) | \(String(format: "%.3f", median(ratios))) |")
        }
        print("\n\(options.rounds) rounds × \(n) operations per variant; the ratio is the median of the per-round ratios.")
    }
}
