@testable import ContractGenCore
import Foundation
import Testing

@Suite("DDL → catalog")
struct CatalogTests {
    static let migrations = PipelineTests.root + "/contracts/db/migrations"

    static func parse(_ script: String) -> (DatabaseCatalog, [String]) {
        var parser = DDLParser()
        parser.apply(script: script, file: "m.sql")
        return (parser.catalog, parser.diagnostics.diagnostics.map(\.description))
    }

    @Test func readsTheContractsMigrations() throws {
        let (catalog, diagnostics) = CatalogLoader.load(migrationsDirectory: Self.migrations)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        let tasks = try #require(catalog.table("tasks"))
        #expect(tasks.primaryKey == ["id"])
        #expect(tasks.column("status")?.type == SQLType("task_status"))
        #expect(tasks.column("status")?.notNull == true && tasks.column("status")?.hasDefault == true)
        #expect(tasks.column("lease_owner")?.notNull == false)
        #expect(tasks.column("created_at")?.type.name == "timestamp with time zone")
        #expect(tasks.rowLevelSecurity && tasks.forceRowLevelSecurity)
        #expect(Set(tasks.policies.keys) == ["tasks_owner", "tasks_system"])
        #expect(catalog.enums["task_status"]?.values.first == "UPLOADED")
        #expect(catalog.indexes["tasks_runnable_idx"]?.predicate == "status = 'QUEUED'")
        let events = try #require(catalog.table("task_events"))
        #expect(events.column("id")?.type.name == "bigint" && events.column("id")?.hasDefault == true)
        #expect(events.uniqueKeys == [["task_id", "sequence"]])
        #expect(events.constraints.contains { $0.name == "task_events_task_id_fkey" && $0.kind == .foreignKey(columns: ["task_id"], table: "tasks", referencedColumns: ["id"], onDelete: "CASCADE") })
    }

    @Test func constraintNamesFollowPostgreSQL() throws {
        let (catalog, diagnostics) = Self.parse("""
        CREATE TABLE t (
            a int PRIMARY KEY, b int UNIQUE CHECK (b > 0), c int REFERENCES t, d int,
            CHECK (c > d), CHECK (d > 0), CHECK (d < 10), UNIQUE (c, d)
        );
        """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let names = try #require(catalog.table("t")).constraints.map(\.name)
        #expect(names == ["t_pkey", "t_b_key", "t_b_check", "t_c_fkey", "t_check", "t_d_check", "t_d_check1", "t_c_d_key"])
    }

    @Test func problemsPointAtTheStatement() {
        let (_, diagnostics) = Self.parse("""
        CREATE TABLE a (id uuid PRIMARY KEY, kind mood);
        ALTER TABLE b ADD COLUMN x int;
        CREATE VIEW v AS SELECT 1;
        CREATE TABLE c (id int REFERENCES a (nope));
        CREATE TABLE d (id int,
            id text);
        CREATE TABLE e (id int) PARTITION BY RANGE (id);
        DROP TABLE zzz;
        SELECT 'unterminated
        """)
        #expect(diagnostics == [
            "m.sql:1:38: error: column kind has type mood, which is neither a built-in type nor an enum created earlier [sql-ddl]",
            "m.sql:2:1: error: table b does not exist [sql-ddl]",
            "m.sql:3:8: error: contractgen's catalog does not understand this CREATE statement [sql-ddl]",
            "m.sql:4:24: error: c references table a, which does not exist [sql-ddl]",
            "m.sql:6:5: error: column id is declared twice [sql-ddl]",
            "m.sql:7:25: error: table options (INHERITS, PARTITION BY, WITH, TABLESPACE) are not supported by contractgen's catalog [sql-ddl]",
            "m.sql:8:1: error: table zzz does not exist [sql-ddl]",
            "m.sql:9:8: error: unterminated string constant [sql-syntax]",
        ])
    }

    @Test func alterationsAreFollowed() throws {
        let (catalog, diagnostics) = CatalogLoader.load(migrationsDirectory: PipelineTests.root + "/Tests/Fixtures/Migrations/alterations")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(catalog.table("owners") == nil && catalog.table("scratch") == nil)
        let accounts = try #require(catalog.table("accounts"))
        #expect(accounts.column("Display") != nil && accounts.column("handle")?.type == SQLType("character varying", modifiers: [32]))
        #expect(accounts.column("shades")?.type == SQLType("shade", arrayDimensions: 1))
        let items = try #require(catalog.table("items"))
        #expect(items.columns.map(\.name) == ["owner_id", "position", "title", "shade", "created", "note"])
        #expect(items.column("position")?.type.name == "integer" && items.column("title")?.notNull == true)
        #expect(items.column("shade")?.hasDefault == false)
        #expect(items.constraints.contains { $0.kind == .foreignKey(columns: ["owner_id"], table: "accounts", referencedColumns: ["id"], onDelete: "CASCADE") })
        #expect(catalog.enums["shade"]?.values == ["LIGHT", "MEDIUM", "DARK"])
        #expect(catalog.indexes["items_shade_created_idx"] != nil && catalog.indexes["items_lower_label"] == nil)
        #expect(catalog.table("notes")?.policies.keys.sorted() == ["notes_all"])
        let (_, problems) = Self.parse("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a int REFERENCES a (nope));")
        #expect(problems == ["m.sql:2:23: error: table a has no column nope [sql-ddl]"])
    }
}
