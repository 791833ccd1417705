import Foundation
import WidgetsClient

/// Code another team writes against the generated client: it names fields, operations and enum cases of the
/// contract, so a contract change that removes one of them fails this target's build (`Tests/Drift`).
public enum WidgetReport {
    /// A one-line summary of the service's health and one widget.
    public static func line(_ api: APIClient, widget id: String) async throws -> String {
        var request = CreateWidgetRequest(name: "gear", color: .red)
        request.name = "gear-\(id.prefix(8).lowercased())"
        guard case .ok(let health) = try await api.getHealth() else { return "no health" }
        let state = switch health.status {
        case .up: "up"
        case .degraded: "degraded"
        }
        guard let uuid = UUID(uuidString: id), case .ok(let widget) = try await api.getWidget(widgetId: uuid) else {
            return "\(state), would create \(request.name)"
        }
        return "\(state), \(widget.name) is \(widget.color.rawValue)"
    }
}
