extension Sequence<UInt8> {
    /// The bytes as lower-case hexadecimal, two digits each (digests, key ids, signatures).
    var hexDigits: String {
        map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
        }.joined()
    }
}
