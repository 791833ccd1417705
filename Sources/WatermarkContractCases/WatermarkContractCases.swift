// The negative contract cases of the watermark API (`ContractCases.violations`), generated on every
// build from `contracts/` by the ContractGen plugin (see contractgen.json, `"emit": "cases"`). Only
// the tests depend on this target: the `watermark` binary links no test support.
