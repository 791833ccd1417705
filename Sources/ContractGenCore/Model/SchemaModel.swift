/// A schema in the language-neutral model: a shape plus the constraints and documentation
/// that apply to it.
public struct SchemaModel: Sendable, Hashable {
    public var shape: Shape
    public var nullable: Bool
    public var description: String?
    public var constraints: Constraints
    /// The schema `default`, as JSON text.
    public var defaultValue: LiteralValue?
    public var deprecated: Bool
    public var location: SourceLocation?

    public init(
        _ shape: Shape, nullable: Bool = false, description: String? = nil, constraints: Constraints = Constraints(),
        defaultValue: LiteralValue? = nil, deprecated: Bool = false, location: SourceLocation? = nil
    ) {
        self.shape = shape
        self.nullable = nullable
        self.description = description
        self.constraints = constraints
        self.defaultValue = defaultValue
        self.deprecated = deprecated
        self.location = location
    }

    /// The kind of value a schema describes.
    public indirect enum Shape: Sendable, Hashable {
        /// A named component schema.
        case reference(String)
        case string(StringKind)
        case integer(IntegerWidth)
        case number
        case boolean
        case array(SchemaModel)
        /// `additionalProperties: <schema>` without declared properties.
        case map(SchemaModel)
        case object(ObjectModel)
        /// A string enum (also a single `const`).
        case stringEnum([String])
        /// `oneOf` / `anyOf`, with an optional discriminator.
        case union(UnionModel)
        /// Anything (`{}`), or a construct the generator does not model, kept as raw JSON.
        case any
    }

    /// How a string is represented.
    public enum StringKind: String, Sendable, Hashable {
        case plain, uuid, dateTime, email, uri, date, hostname, ipv4, ipv6, byte, binary
    }

    /// The integer width a format asks for.
    public enum IntegerWidth: String, Sendable, Hashable {
        case platform, int32, int64
    }
}

/// The constraint keywords of one schema.
public struct Constraints: Sendable, Hashable {
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?
    public var minimum: Double?
    public var exclusiveMinimum: Double?
    public var maximum: Double?
    public var exclusiveMaximum: Double?
    public var multipleOf: Double?
    public var minItems: Int?
    public var maxItems: Int?
    public var uniqueItems: Bool = false
    public var minProperties: Int?
    public var maxProperties: Int?
    /// Allowed values of a non-string `enum`/`const`.
    public var allowedNumbers: [Double]?

    public init() {}

    public var isEmpty: Bool { self == Constraints() }
}

/// An object schema: ordered properties and what it says about other properties.
public struct ObjectModel: Sendable, Hashable {
    public var properties: [PropertyModel]
    public var additionalProperties: AdditionalProperties
    /// `x-table`: the database table the object is bound to.
    public var table: String?
    /// Rules across properties (`anyOf`, `oneOf`, `not` beside `properties`), in contract order.
    public var rules: [ObjectRule]

    public init(properties: [PropertyModel], additionalProperties: AdditionalProperties, table: String? = nil, rules: [ObjectRule] = []) {
        self.properties = properties
        self.additionalProperties = additionalProperties
        self.table = table
        self.rules = rules
    }

    /// Whether properties the schema does not declare are accepted.
    public enum AdditionalProperties: Sendable, Hashable {
        /// Not said: accepted and ignored.
        case allowed
        /// `additionalProperties: false`: rejected.
        case forbidden
        /// `additionalProperties: <schema>`: kept, each validated.
        case typed(SchemaModel)
    }
}

/// A rule across an object's own properties: `anyOf`, `oneOf` or `not` beside `properties`,
/// whose subschemas only name `required` properties and `const` values — "a mask or strokes",
/// "exactly one of ids and filter", "not a mask together with autoDetect: true".
public struct ObjectRule: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// At least one condition holds.
        case anyOf
        /// Exactly one condition holds.
        case oneOf
        /// The single condition does not hold.
        case not
    }

    public var kind: Kind
    public var conditions: [PropertyCondition]

    public init(kind: Kind, conditions: [PropertyCondition]) {
        self.kind = kind
        self.conditions = conditions
    }
}

/// One condition of an `ObjectRule`: these properties are present and these have these values.
public struct PropertyCondition: Sendable, Hashable {
    /// `required`: the properties present.
    public var present: [String]
    /// `properties: {name: {const: value}}`, in contract order.
    public var values: [PropertyValue]

    public init(present: [String], values: [PropertyValue]) {
        self.present = present
        self.values = values
    }

    /// How a validation message names it: `mask and autoDetect: true`.
    public var summary: String {
        let named = present.filter { name in !values.contains { $0.name == name } }
        return (named + values.map { "\($0.name): \(SchemaEvaluator.render($0.value))" }).joined(separator: " and ")
    }
}

/// A property a condition pins to one value.
public struct PropertyValue: Sendable, Hashable {
    public var name: String
    public var value: LiteralValue

    public init(name: String, value: LiteralValue) {
        self.name = name
        self.value = value
    }
}

/// One property of an object schema.
public struct PropertyModel: Sendable, Hashable {
    /// The JSON key.
    public var name: String
    public var schema: SchemaModel
    public var required: Bool
    /// `x-computed: true`: the field has no column in the schema's `x-table`.
    public var computed: Bool

    public init(name: String, schema: SchemaModel, required: Bool, computed: Bool = false) {
        self.name = name
        self.schema = schema
        self.required = required
        self.computed = computed
    }
}

/// `oneOf`/`anyOf` alternatives.
public struct UnionModel: Sendable, Hashable {
    public var exclusive: Bool
    public var alternatives: [SchemaModel]
    public var discriminator: Discriminator?

    public init(exclusive: Bool, alternatives: [SchemaModel], discriminator: Discriminator?) {
        self.exclusive = exclusive
        self.alternatives = alternatives
        self.discriminator = discriminator
    }

    /// The property whose value names the alternative.
    public struct Discriminator: Sendable, Hashable {
        public var propertyName: String
        /// Discriminator value → schema name.
        public var mapping: [(value: String, schema: String)]

        public init(propertyName: String, mapping: [(value: String, schema: String)]) {
            self.propertyName = propertyName
            self.mapping = mapping
        }

        public static func == (lhs: Discriminator, rhs: Discriminator) -> Bool {
            lhs.propertyName == rhs.propertyName && lhs.mapping.map(\.value) == rhs.mapping.map(\.value)
                && lhs.mapping.map(\.schema) == rhs.mapping.map(\.schema)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(propertyName)
            hasher.combine(mapping.map(\.value))
            hasher.combine(mapping.map(\.schema))
        }
    }
}

/// A JSON literal from the contract (defaults, examples).
public indirect enum LiteralValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([LiteralValue])
    case object([String: LiteralValue])
}

/// A named component schema.
public struct NamedSchema: Sendable, Hashable {
    public var name: String
    public var schema: SchemaModel
    /// The contract file it is defined in.
    public var sourceFile: String
    /// `x-state-machine`: the moves a string enum's values may make.
    public var stateMachine: StateMachineModel?

    public init(name: String, schema: SchemaModel, sourceFile: String, stateMachine: StateMachineModel? = nil) {
        self.name = name
        self.schema = schema
        self.sourceFile = sourceFile
        self.stateMachine = stateMachine
    }
}
