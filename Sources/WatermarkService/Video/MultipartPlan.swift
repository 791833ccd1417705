/// How a file of `size` bytes is cut into parts of `partBytes` for a multipart upload, and what is wrong with the
/// parts a store holds before they are joined: every part from 1 to `count`, each `partBytes` long but the last.
struct MultipartPlan: Sendable {
    let size: Int64
    let partBytes: Int64

    var count: Int { Int((size + partBytes - 1) / partBytes) }

    /// The length part `number` (1-based) must have.
    func length(of number: Int) -> Int64 {
        number < count ? partBytes : size - partBytes * Int64(count - 1)
    }

    /// Each part that is missing, has the wrong length, or is beyond the file; empty when they make it up.
    func problems(with parts: [S3Storage.StoredPart]) -> [(number: Int, reason: String)] {
        let held = Dictionary(parts.map { ($0.number, $0) }, uniquingKeysWith: { _, last in last })
        var problems: [(number: Int, reason: String)] = []
        for number in 1...max(1, count) {
            guard let part = held[number] else {
                problems.append((number, "part \(number) has not been uploaded"))
                continue
            }
            if part.size != length(of: number) {
                problems.append((number, "part \(number) has \(part.size) bytes, not \(length(of: number))"))
            }
        }
        for number in held.keys.sorted() where number > count {
            problems.append((number, "part \(number) is beyond the \(count) parts of the declared size"))
        }
        return problems
    }
}
