import ContractRuntime
import ContractServer
import FixtureAPI
import Foundation
import Hummingbird

/// Hand-written handlers for the fixture contract: they conform to the generated protocols, so
/// renaming or removing anything they use in the contract fails the build.
struct FixtureWidgets: WidgetsAPI {
    typealias Context = BasicRequestContext
    let store = WidgetStore()

    func listWidgets(_ input: Operations.ListWidgets.Input, context: Context) async throws -> Operations.ListWidgets.Output {
        // Read outside the closure, so a renamed parameter is reported as a missing member.
        let color = input.color
        let before = input.before
        let all = await store.all().filter { (color == nil || $0.color == color) && (before == nil || $0.createdAt < before!) }
        return .ok(WidgetPage(items: Array(all.prefix(input.limit)), nextCursor: nil))
    }

    func createWidget(_ input: Operations.CreateWidget.Input, context: Context) async throws -> Operations.CreateWidget.Output {
        if await store.all().contains(where: { $0.name == input.body.name }) {
            throw Operations.CreateWidget.Failure.conflict("a widget named \(input.body.name) exists")
        }
        // A deliberately wrong handler: for this name it answers with version 0, which the
        // contract's `minimum: 1` forbids; response validation must catch it.
        let version: Int64 = input.body.name == "off-contract" ? 0 : 1
        let widget = Widget(
            id: UUID(), name: input.body.name, color: input.body.color, version: version, createdAt: Date(timeIntervalSince1970: 1_800_000_000),
            note: input.body.note?.wrapped, shape: input.body.shape)
        await store.add(widget)
        await store.setCreationBytes(input.rawBody, for: widget.id)
        return .created(widget)
    }

    func getWidget(_ input: Operations.GetWidget.Input, context: Context) async throws -> Operations.GetWidget.Output {
        guard let widget = await store.all().first(where: { $0.id == input.widgetId }) else {
            throw Operations.GetWidget.Failure.notFound()
        }
        return .ok(widget)
    }

    func deleteWidget(_ input: Operations.DeleteWidget.Input, context: Context) async throws -> Operations.DeleteWidget.Output {
        guard await store.remove(input.widgetId) else { throw Operations.DeleteWidget.Failure.notFound() }
        return .noContent
    }

    func uploadWidgetPicture(_ input: Operations.UploadWidgetPicture.Input, context: Context) async throws -> Operations.UploadWidgetPicture.Output {
        guard await store.all().contains(where: { $0.id == input.widgetId }) else { throw Operations.UploadWidgetPicture.Failure.notFound() }
        await store.setPicture(input.body, for: input.widgetId)
        return .noContent
    }

    func downloadWidgetPicture(_ input: Operations.DownloadWidgetPicture.Input, context: Context) async throws -> Operations.DownloadWidgetPicture.Output {
        guard let picture = await store.picture(for: input.widgetId) else { throw Operations.DownloadWidgetPicture.Failure.notFound() }
        // A picture stored as GIF would break the contract (only PNG and JPEG are declared); the test checks that.
        let contentType = picture.bytes.getString(at: picture.bytes.readerIndex, length: 3) == "GIF" ? "image/gif" : picture.contentType
        return .ok(RawContent(contentType: contentType, body: ResponseBody(byteBuffer: picture.bytes)))
    }
}

struct FixtureSystem: SystemAPI {
    typealias Context = BasicRequestContext

    func getHealth(_ input: Operations.GetHealth.Input, context: Context) async throws -> Operations.GetHealth.Output {
        .ok(Health(status: .up))
    }
}

/// In-memory widgets shared by the handlers of one test application.
actor WidgetStore {
    private var widgets: [Widget] = []
    private var pictures: [UUID: RawRequestBody] = [:]

    private var creationBytes: [UUID: RawRequestBody] = [:]

    func setPicture(_ picture: RawRequestBody, for id: UUID) { pictures[id] = picture }
    func setCreationBytes(_ bytes: RawRequestBody, for id: UUID) { creationBytes[id] = bytes }
    func creationBytes(for id: UUID) -> RawRequestBody? { creationBytes[id] }
    func picture(for id: UUID) -> RawRequestBody? { pictures[id] }

    func all() -> [Widget] { widgets }
    func add(_ widget: Widget) { widgets.append(widget) }
    func remove(_ id: UUID) -> Bool {
        let before = widgets.count
        widgets.removeAll { $0.id == id }
        return widgets.count != before
    }
}

/// Accepts the bearer token `good` as user `u1`, refuses `expired` with 40102.
struct FixtureAuthenticator: ContractAuthenticator {
    func authenticate(_ credential: Credential, for operation: OperationDescriptor) async throws -> Principal {
        switch credential.value {
        case "good": return Principal(subject: "u1")
        case "expired": throw APIError(ErrorCode.tokenExpired.descriptor)
        default: throw APIError(ErrorCode.unauthenticated.descriptor)
        }
    }
}
