import Foundation

/// Whose rows a transaction may see under row-level security: one user's (`app.user_id`), or all
/// of them for the system itself (`app.role = 'system'`: workers, admin operations, sign-in).
public enum AccessScope: Sendable, Hashable {
    case user(UUID)
    case system
}
