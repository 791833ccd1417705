import ContractGenCore
import Foundation
import Testing

/// Text columns limited by `CHECK (column IN (…))` get Swift enums in the database layer: one per
/// API enum the columns are bound to (`x-table`), else one per column; rows, inserts and the named
/// queries that read or write the column use it, so no status is compared as a string.
@Suite("CHECK (column IN (…)) columns as Swift enums")
struct CheckedColumnTests {
    @Test func checkedColumnsBecomeEnumsSharedWithTheAPIEnumTheyAreBoundTo() throws {
        let directory = try PipelineTests.contractDirectory([
            "db/migrations/0001_items.up.sql": """
            CREATE TABLE items (
                id uuid PRIMARY KEY,
                shade text NOT NULL CHECK (shade IN ('LIGHT', 'DARK')),
                size text NOT NULL DEFAULT 'S' CHECK (size IN ('S', 'M')),
                note text CHECK (note IN ('x') OR note IS NULL)
            );
            CREATE TABLE boxes (id uuid PRIMARY KEY, shade text NOT NULL CHECK (shade IN ('LIGHT', 'DARK')));
            """,
            "db/migrations/0001_items.down.sql": "DROP TABLE boxes; DROP TABLE items;",
            "db/queries/items.sql": """
            -- name: ItemsOfShade :many
            SELECT * FROM items WHERE shade = $1;
            """,
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: Items, version: '1'}
            paths: {}
            components:
              schemas:
                Shade: {type: string, enum: [LIGHT, DARK]}
                Item:
                  type: object
                  x-table: items
                  required: [id, shade]
                  properties:
                    id: {type: string, format: uuid}
                    shade: {$ref: '#/components/schemas/Shade'}
                Box:
                  type: object
                  x-table: boxes
                  required: [id, shade]
                  properties:
                    id: {type: string, format: uuid}
                    shade: {$ref: '#/components/schemas/Shade'}
            """,
        ])
        let (files, diagnostics) = ContractPipeline.generateDatabase(source: try ContractSource(path: directory), templatesDirectory: nil, options: .init())
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let enums = try #require(files?["DatabaseEnums.swift"])
        let tables = try #require(files?["Tables.swift"])
        let queries = try #require(files?["NamedQueries.swift"])
        #expect(enums.contains("/// The values of items.shade, boxes.shade, as its `CHECK (… IN (…))` allows"))
        #expect(enums.contains("public enum ShadeEnum: String, PostgresEnum {\n    case light = \"LIGHT\"\n    case dark = \"DARK\"\n}"))
        #expect(enums.contains("public enum ItemSizeEnum: String, PostgresEnum {"), "an unbound column is named after its table and column")
        #expect(!enums.contains("ItemNoteEnum"), "a check that is not just `IN (…)` leaves the column a string")
        #expect(tables.contains("public var shade: ShadeEnum\n") && tables.contains("public var size: ItemSizeEnum\n") && tables.contains("public var note: String?\n"))
        #expect(tables.contains("public var size: ItemSizeEnum?"), "the insert type leaves a defaulted column optional")
        #expect(queries.contains("func itemsOfShade(shade: ShadeEnum)"), "a parameter compared with the column takes its enum")
    }
}
