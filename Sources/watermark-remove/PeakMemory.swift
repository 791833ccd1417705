#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory (getrusage), to show that a video's removal does not grow with its length.
enum PeakMemory {
    /// This process's peak, in MiB.
    static var ownMegabytes: Double { peak(RUSAGE_SELF) }
    /// The largest peak of the children waited for (ffmpeg, ffprobe), in MiB.
    static var childrenMegabytes: Double { peak(RUSAGE_CHILDREN) }

    private static func peak(_ who: __rusage_who) -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(who.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
