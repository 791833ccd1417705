// The watermark service's typed client. Everything else in this module is generated from
// contracts/ by the ContractGen plugin on every build (`contractgen.json`, `"emit": "client"`):
// `APIClient` with one method per operation, the DTOs, the error catalog and, per operation, its
// `ClientOperations` namespace (`Response`, `Failure`). A reviewed copy is in Generated/WatermarkClient.
