import Foundation

/// The Mustache templates contractgen renders with, shipped with the tool as resources.
public enum TemplateBundle {
    /// The directory holding the bundled `swift/*.mustache` templates, if the bundle is present.
    public static var swiftTemplatesDirectory: URL? {
        Bundle.module.url(forResource: "swift", withExtension: nil)
    }

    /// The directory holding the bundled `typescript/*.mustache` templates (the TypeScript client).
    public static var typeScriptTemplatesDirectory: URL? {
        Bundle.module.url(forResource: "typescript", withExtension: nil)
    }
}
