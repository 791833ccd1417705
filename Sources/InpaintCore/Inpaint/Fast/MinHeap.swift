/// A binary min-heap of (key, index) pairs in two flat arrays; ties pop in insertion order.
///
/// No per-element allocation: capacity grows geometrically and is kept between uses.
struct MinHeap {
    private(set) var keys: [Float] = []
    private(set) var seqs: [UInt32] = []
    private(set) var ids: [Int32] = []
    private var nextSeq: UInt32 = 0

    init(capacity: Int) {
        keys.reserveCapacity(capacity)
        seqs.reserveCapacity(capacity)
        ids.reserveCapacity(capacity)
    }

    var isEmpty: Bool { keys.isEmpty }
    var count: Int { keys.count }

    @inline(__always)
    private static func less(_ k1: Float, _ s1: UInt32, _ k2: Float, _ s2: UInt32) -> Bool {
        k1 < k2 || (k1 == k2 && s1 < s2)
    }

    mutating func push(_ key: Float, _ id: Int32) {
        let seq = nextSeq
        nextSeq &+= 1
        keys.append(key); seqs.append(seq); ids.append(id)
        var i = keys.count - 1
        keys.withUnsafeMutableBufferPointer { k in
            seqs.withUnsafeMutableBufferPointer { s in
                ids.withUnsafeMutableBufferPointer { d in
                    while i > 0 {
                        let p = (i - 1) >> 1
                        if !Self.less(key, seq, k[p], s[p]) { break }
                        k[i] = k[p]; s[i] = s[p]; d[i] = d[p]
                        i = p
                    }
                    k[i] = key; s[i] = seq; d[i] = id
                }
            }
        }
    }

    /// Removes and returns the minimum (key, id).
    mutating func pop() -> (Float, Int32) {
        let topK = keys[0], topI = ids[0]
        let lastK = keys.removeLast(), lastS = seqs.removeLast(), lastI = ids.removeLast()
        let n = keys.count
        if n > 0 {
            keys.withUnsafeMutableBufferPointer { k in
                seqs.withUnsafeMutableBufferPointer { s in
                    ids.withUnsafeMutableBufferPointer { d in
                        var i = 0
                        while true {
                            var c = 2 * i + 1
                            if c >= n { break }
                            if c + 1 < n && Self.less(k[c + 1], s[c + 1], k[c], s[c]) { c += 1 }
                            if !Self.less(k[c], s[c], lastK, lastS) { break }
                            k[i] = k[c]; s[i] = s[c]; d[i] = d[c]
                            i = c
                        }
                        k[i] = lastK; s[i] = lastS; d[i] = lastI
                    }
                }
            }
        }
        return (topK, topI)
    }
}
