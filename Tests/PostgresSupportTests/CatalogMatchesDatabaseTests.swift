import ContractGenCore
import Foundation
import PostgresNIO
import PostgresSupport
import Testing

/// The catalog contractgen builds by parsing the migrations must be what PostgreSQL builds by
/// running them: tables, column types, nullability, defaults, keys, foreign keys, checks, enums,
/// indexes, row-level security and policies, compared line by line.
@Suite("Parsed catalog vs pg_catalog")
struct CatalogMatchesDatabaseTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test(arguments: ["contracts/db/migrations", "Tests/Fixtures/Migrations/alterations"])
    func catalogMatchesTheDatabase(_ relative: String) async throws {
        let directory = Self.root + "/" + relative
        let (catalog, diagnostics) = CatalogLoader.load(migrationsDirectory: directory)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        let parsed = Self.describe(catalog)
        let set = try MigrationSet.load(directory: directory)
        try await TestCluster.withDatabase { client, _ in
            try await MigrationRunner(client: client, migrations: set).up()
            let actual = try await Self.describe(client)
            #expect(parsed.subtracting(actual).sorted() == [], "parsed but not in PostgreSQL")
            #expect(actual.subtracting(parsed).sorted() == [], "in PostgreSQL but not parsed")
            #expect(actual.count > 10)
        }
    }

    /// The catalog as comparison lines.
    static func describe(_ catalog: DatabaseCatalog) -> Set<String> {
        var lines: Set<String> = []
        for table in catalog.tables {
            lines.insert("table \(table.name) rls=\(table.rowLevelSecurity) force=\(table.forceRowLevelSecurity)")
            for column in table.columns {
                lines.insert("column \(table.name).\(column.name) \(column.type)\(column.notNull ? " not null" : "")\(column.hasDefault ? " default" : "")")
            }
            for constraint in table.constraints {
                switch constraint.kind {
                case .primaryKey(let columns):
                    lines.insert("primary key \(table.name).\(constraint.name) (\(columns.joined(separator: ", ")))")
                case .unique(let columns):
                    lines.insert("unique \(table.name).\(constraint.name) (\(columns.joined(separator: ", ")))")
                case .foreignKey(let columns, let target, let referenced, let onDelete):
                    let action = ["CASCADE": "c", "RESTRICT": "r", "SET NULL": "n", "SET DEFAULT": "d"][onDelete ?? ""] ?? "a"
                    lines.insert("foreign key \(table.name).\(constraint.name) (\(columns.joined(separator: ", "))) -> \(target) (\(referenced.joined(separator: ", "))) on delete \(action)")
                case .check:
                    lines.insert("check \(table.name).\(constraint.name) ()")
                }
            }
            for policy in table.policies.values { lines.insert("policy \(table.name).\(policy.name) \(policy.command)") }
        }
        for type in catalog.enums.values {
            lines.insert("enum \(type.name) (\(type.values.map { "'\($0)'" }.joined(separator: ", ")))")
        }
        for index in catalog.indexes.values {
            lines.insert("index \(index.name) on \(index.table)\(index.unique ? " unique" : "")\(index.predicate != nil ? " partial" : "")")
        }
        return lines
    }

    /// What PostgreSQL reports, as the same lines.
    static func describe(_ client: PostgresClient) async throws -> Set<String> {
        let queries: [PostgresQuery] = [
            """
            SELECT format('table %s rls=%s force=%s', c.relname, c.relrowsecurity::text, c.relforcerowsecurity::text)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations'
            """,
            """
            SELECT format('column %s.%s %s%s%s', c.relname, a.attname, format_type(a.atttypid, NULL),
                          CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                          CASE WHEN a.atthasdef OR a.attidentity <> '' THEN ' default' ELSE '' END)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations' AND a.attnum > 0 AND NOT a.attisdropped
            """,
            """
            SELECT format('%s %s.%s (%s)%s',
                          CASE co.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign key' ELSE 'check' END,
                          cl.relname, co.conname,
                          CASE WHEN co.contype = 'c' THEN '' ELSE (
                              SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
                              FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)
                              JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum) END,
                          CASE WHEN co.contype = 'f' THEN format(' -> %s (%s) on delete %s', co.confrelid::regclass, (
                              SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
                              FROM unnest(co.confkey) WITH ORDINALITY k(attnum, ord)
                              JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum), co.confdeltype) ELSE '' END)
            FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
            WHERE n.nspname = 'public' AND cl.relname <> 'schema_migrations' AND co.contype IN ('p', 'u', 'f', 'c')
            """,
            """
            SELECT format('policy %s.%s %s', tablename, policyname, cmd) FROM pg_policies WHERE schemaname = 'public'
            """,
            """
            SELECT format('enum %s (%s)', t.typname, string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder))
            FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = 'public' GROUP BY t.typname
            """,
            """
            SELECT format('index %s on %s%s%s', i.relname, t.relname,
                          CASE WHEN x.indisunique THEN ' unique' ELSE '' END, CASE WHEN x.indpred IS NOT NULL THEN ' partial' ELSE '' END)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname <> 'schema_migrations'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u'))
            """,
        ]
        var lines: Set<String> = []
        for query in queries {
            for try await line in try await client.query(query).decode(String.self) { lines.insert(line) }
        }
        return lines
    }
}
