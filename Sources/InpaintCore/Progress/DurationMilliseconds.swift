extension Duration {
    /// The duration in milliseconds, for the `INPAINT_MS=`-style figures the commands print.
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
