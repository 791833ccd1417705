// The watermark service's database layer, generated on every build from `contracts/db/` by the
// ContractGen plugin (see contractgen.json): the PostgreSQL enums, a row type, insert type and
// repository per table (`TaskRow`, `NewTask`, `TaskRepository`, …) and `NamedQueries` with a typed
// function per query of `contracts/db/queries`. Nothing else lives here; users import PostgresSupport
// themselves.
