// Request validation throughput of the generated API types, without a server or a database: each request body of
// the set is parsed from its bytes and decoded with every check (`T.decode(json:)`, what the generated router does
// with a body), over and over, and the bodies per second are printed, one line per body. Half of the set is
// invalid, so the error paths (issues collected, messages written) are measured too.
//
//     swift build -c release --product validation-benchmark
//     .build/release/validation-benchmark [--seconds 2]
//
// `benchmarks/validation_builds.py` runs two builds of it (before and after a generator change) alternately and
// compares them; the service's figures under load are `service-benchmark`'s.
import ContractRuntime
import Foundation
import WatermarkAPI

/// One request body of the set and how to decode it.
struct Body {
    var name: String
    var text: String
    var valid: Bool
    var decode: (JSONValue) -> Bool
}

func body<T: ContractCodable>(_ name: String, _ type: T.Type, valid: Bool, _ text: String) -> Body {
    Body(name: name, text: text, valid: valid) { json in (try? T.decode(json: json)) != nil }
}

let asset = "7d1c4c0e-3f55-4a52-9f7a-2f7a0f1b2c3d"
let polygon = #"{"points":[{"x":0.1,"y":0.1},{"x":0.4,"y":0.1},{"x":0.4,"y":0.3},{"x":0.1,"y":0.3}]}"#
let bodies: [Body] = [
    body("createTask (polygon mask)", CreateTaskRequest.self, valid: true,
         #"{"assetId":"\#(asset)","mediaType":"IMAGE","mode":"FAST","mask":{"polygons":[\#(polygon),\#(polygon)]}}"#),
    body("createTask (auto-detect)", CreateTaskRequest.self, valid: true,
         #"{"assetId":"\#(asset)","mediaType":"IMAGE","autoDetect":true}"#),
    body("createTask (bad enum, mask and autoDetect)", CreateTaskRequest.self, valid: false,
         #"{"assetId":"\#(asset)","mediaType":"PICTURE","mode":"SLOW","autoDetect":true,"mask":{"polygons":[\#(polygon)]}}"#),
    body("register", RegisterRequest.self, valid: true,
         #"{"email":"someone@example.com","password":"correct horse battery","displayName":"Someone"}"#),
    body("register (missing and unknown fields)", RegisterRequest.self, valid: false,
         #"{"email":"not-an-email","displayName":" ","extra":1}"#),
    body("uploadPolicy", UploadPolicyRequest.self, valid: true,
         #"{"fileName":"photo.png","contentType":"image/png","sizeBytes":123456}"#),
    body("uploadPolicy (bad type and size)", UploadPolicyRequest.self, valid: false,
         #"{"fileName":"photo.gif","contentType":"image/gif","sizeBytes":-1}"#),
    body("createWebhookEndpoint", CreateWebhookEndpointRequest.self, valid: true,
         #"{"url":"https://hooks.example.com/watermark","events":["task.succeeded","task.failed"],"description":"CI"}"#),
    body("createWebhookEndpoint (unknown event)", CreateWebhookEndpointRequest.self, valid: false,
         #"{"url":"https://hooks.example.com/watermark","events":["task.exploded"]}"#),
]

var seconds = 2.0
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    if argument == "--seconds", let value = arguments.next().flatMap(Double.init) { seconds = value }
}

for body in bodies {
    let bytes = Array(body.text.utf8)
    guard let json = try? JSONParser.parse(bytes), body.decode(json) == body.valid else {
        FileHandle.standardError.write(Data("\(body.name): expected \(body.valid ? "valid" : "invalid")\n".utf8))
        exit(1)
    }
}
for body in bodies {
    let bytes = Array(body.text.utf8)
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    var outcome = 0
    while clock.now - start < .seconds(seconds) {
        for _ in 0..<200 {
            if let json = try? JSONParser.parse(bytes), body.decode(json) { outcome += 1 }
            count += 1
        }
    }
    let elapsed = clock.now - start
    let perSecond = Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    print("\(body.name)\t\(Int(perSecond))\t\(outcome == (body.valid ? count : 0) ? "ok" : "unexpected")")
}
