import ContractGenCore
import Foundation
import Testing

/// `--emit mappings`: a DTO bound to a table (`x-table`) is made from its row by a generated
/// initializer — enums converted (throwing, never a default), integer widths widened, what the
/// row does not hold taken as arguments.
@Suite("DTOs from their rows (--emit mappings)")
struct RowMappingTests {
    @Test func aBoundDTOIsReadFromItsRowConvertingWhereTheTypesDiffer() throws {
        let directory = try PipelineTests.contractDirectory([
            "db/migrations/0001_items.up.sql": """
            CREATE TABLE items (
                id uuid PRIMARY KEY,
                shade text NOT NULL CHECK (shade IN ('LIGHT', 'DARK')),
                size text,
                count smallint NOT NULL,
                tags text[] NOT NULL,
                extra jsonb NOT NULL,
                created_at timestamptz NOT NULL
            );
            """,
            "db/migrations/0001_items.down.sql": "DROP TABLE items;",
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: Items, version: '1'}
            paths: {}
            components:
              schemas:
                Shade: {type: string, enum: [LIGHT, DARK]}
                Size: {type: string, enum: [S, M]}
                Tag: {type: string, enum: [NEW, OLD]}
                Item:
                  type: object
                  x-table: items
                  required: [id, shade, count, tags, extra, createdAt, owner]
                  properties:
                    id: {type: string, format: uuid}
                    shade: {$ref: '#/components/schemas/Shade'}
                    size: {$ref: '#/components/schemas/Size'}
                    count: {type: integer}
                    tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
                    extra: {type: object, properties: {note: {type: string}}}
                    createdAt: {type: string, format: date-time}
                    owner: {type: string, x-computed: true}
            """,
        ])
        let (files, diagnostics) = ContractPipeline.generateMappings(
            source: try ContractSource(path: directory), templatesDirectory: nil, options: .init(), imports: ["ItemsAPI", "ItemsDatabase"])
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let text = try #require(files?[ContractPipeline.mappingsFileName])
        #expect(text.contains("import ItemsAPI\nimport ItemsDatabase\n"))
        let expected = """
            extension Item {
                /// A row of `items` as `Item` shows it (`x-table`), with what the row does not hold.
                public init(row: ItemRow, extra: Extra, owner: String) throws {
                    self.init(
                        id: row.id,
                        shade: try converted(row.shade),
                        size: try row.size.map { try converted(rawValue: $0) },
                        count: Int(row.count),
                        tags: try row.tags.map { try converted(rawValue: $0) },
                        extra: extra,
                        createdAt: row.createdAt,
                        owner: owner
                    )
                }
            }
            """
        #expect(text.contains(expected), "\(text)")
    }
}
