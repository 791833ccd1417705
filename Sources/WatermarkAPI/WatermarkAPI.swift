// The watermark service's HTTP API, generated on every build from `contracts/` by the ContractGen
// plugin (see contractgen.json): DTOs, validators, `ErrorCode`, `Operations.*`, one handler
// protocol per tag (`AuthAPI`, `TasksAPI`, …) and the router extensions that serve them.
// Nothing else lives here; the handlers are hand-written in the service target, which imports
// ContractRuntime and ContractServer itself. The negative contract cases are in WatermarkContractCases.
