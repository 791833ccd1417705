// The reading-notes database layer, generated on every build from `../../contracts/db` by the ContractGen
// plugin (`"emit": "database"`): a row type, insert type and repository per table (`BookRow`, `NewBook`,
// `BookRepository`, …), `NamedQueries` with a typed function per query of `db/queries`, and
// `DatabaseMigrations.all`. Nothing hand-written lives here.
