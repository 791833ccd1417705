import ContractGenCore
import Foundation
import Testing

@Suite("x-table: API ↔ database drift")
struct TableBindingTests {
    @Test func theContractsDTOsFitTheirTables() throws {
        let (_, diagnostics) = ContractPipeline.load(try ContractSource(path: PipelineTests.root + "/contracts"))
        #expect(diagnostics.filter { $0.ruleID == "api-db-binding" || $0.ruleID?.hasPrefix("sql") == true }.map(\.description) == [])
    }

    @Test func driftIsReportedAtTheField() throws {
        let directory = try PipelineTests.contractDirectory([
            "db/migrations/0001_items.up.sql": """
            CREATE TYPE shade AS ENUM ('LIGHT', 'DARK');
            CREATE TABLE items (id uuid PRIMARY KEY, title text NOT NULL, note text, count integer NOT NULL, shade shade NOT NULL);
            """,
            "db/migrations/0001_items.down.sql": "DROP TABLE items; DROP TYPE shade;",
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: Items, version: '1'}
            paths: {}
            components:
              schemas:
                Item:
                  type: object
                  x-table: items
                  required: [id, title, note, count, shade, size]
                  properties:
                    id: {type: integer}
                    title: {type: string}
                    note: {type: string}
                    count: {type: integer}
                    shade: {type: string, enum: [LIGHT, DARK, DIM]}
                    size: {type: integer}
                    label: {type: string, x-computed: true}
                Ghost:
                  type: object
                  x-table: ghosts
                  properties:
                    id: {type: string}
            """,
        ])
        let (_, diagnostics) = ContractPipeline.load(try ContractSource(path: directory))
        let messages = diagnostics.filter { $0.ruleID == "api-db-binding" }.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "?") \($0.message)" }
        #expect(messages == [
            "19:7 Ghost is bound to table ghosts (x-table), which \(directory)/db/migrations does not create",
            "11:13 Item.id does not fit items.id: an integer needs a column of type bigint or integer or smallint, found uuid",
            "13:15 Item.note cannot be null, but items.note is nullable; make the field nullable or the column NOT NULL",
            "15:16 Item.shade does not fit items.shade: the enum values differ from shade's (only in the contract: [\"DIM\"], only in the database: [])",
            "16:15 Item.size has no column items.size; add the column or mark the field x-computed: true",
        ])
    }

    /// A text column limited by `CHECK (col IN (…))` — as the migrations leave it, a later one
    /// replacing the constraint — must have the values of the string enum bound to it.
    @Test func aCheckedColumnMustHaveTheEnumsValues() throws {
        let directory = try PipelineTests.contractDirectory([
            "db/migrations/0001_items.up.sql": """
            CREATE TABLE items (id uuid PRIMARY KEY, shade text NOT NULL CHECK (shade IN ('LIGHT', 'DARK')), size text NOT NULL CHECK (size IN ('S', 'M')));
            """,
            "db/migrations/0001_items.down.sql": "DROP TABLE items;",
            "db/migrations/0002_sizes.up.sql": """
            ALTER TABLE items DROP CONSTRAINT items_size_check;
            ALTER TABLE items ADD CONSTRAINT items_size_check CHECK (size IN ('S', 'M', 'L'));
            """,
            "db/migrations/0002_sizes.down.sql": "ALTER TABLE items DROP CONSTRAINT items_size_check;",
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: Items, version: '1'}
            paths: {}
            components:
              schemas:
                Item:
                  type: object
                  x-table: items
                  required: [id, shade, size]
                  properties:
                    id: {type: string, format: uuid}
                    shade: {type: string, enum: [LIGHT, DARK, DIM]}
                    size: {type: string, enum: [S, M, L]}
            """,
        ])
        let (_, diagnostics) = ContractPipeline.load(try ContractSource(path: directory))
        let messages = diagnostics.filter { $0.ruleID == "api-db-binding" }.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "?") \($0.message)" }
        #expect(messages == [
            "12:16 Item.shade does not fit items.shade: the enum values differ from the column's CHECK (only in the contract: [\"DIM\"], only in the database: [])",
        ])
    }
}
