// The reading-notes API, generated on every build from `../../contracts` by the ContractGen plugin (see
// contractgen.json): the DTOs and their validators, the error catalog, `Operations`, and per tag a handler
// protocol (`BooksAPI`, `NotesAPI`, `HighlightsAPI`) with its `router.add…API`. Nothing hand-written lives here.
