import JSON

/// The stable diagnostic codes. Codes never change meaning; new ones may be added.
extension Diagnostic.Code {
    // Files and parsing
    /// A file or folder could not be read.
    public static let fileRead = Self(rawValue: "file.read")
    /// The file is not valid UTF-8.
    public static let fileEncoding = Self(rawValue: "file.encoding")
    /// The file is larger than the limit (1 MiB).
    public static let limitFileSize = Self(rawValue: "limit.file-size")
    /// A document nests deeper than the limit (64).
    public static let limitDepth = Self(rawValue: "limit.depth")
    /// Aliases expand beyond the limit (10,000 nodes).
    public static let limitAliasExpansion = Self(rawValue: "limit.alias-expansion")
    /// YAML syntax error.
    public static let yamlSyntax = Self(rawValue: "yaml.syntax")
    /// JSON syntax error.
    public static let jsonSyntax = Self(rawValue: "json.syntax")
    /// The same key twice in one mapping.
    public static let yamlDuplicateKey = Self(rawValue: "yaml.duplicate-key")
    /// A YAML merge key (`<<`).
    public static let yamlMergeKey = Self(rawValue: "yaml.merge-key")
    /// A mapping or list used as a key.
    public static let yamlComplexKey = Self(rawValue: "yaml.complex-key")
    /// An explicit tag other than the core ones.
    public static let yamlUnsupportedTag = Self(rawValue: "yaml.unsupported-tag")
    /// `.inf`, `-.inf` or `.nan` anywhere in a declaration, which JSON (and W&B) cannot hold.
    public static let yamlNonFiniteNumber = Self(rawValue: "yaml.non-finite-number")

    // Documents and fields
    /// A document that is not a mapping.
    public static let documentNotMapping = Self(rawValue: "document.not-mapping")
    /// `apiVersion` missing or not `launchq/v1`.
    public static let documentAPIVersion = Self(rawValue: "document.api-version")
    /// `kind` missing or unknown.
    public static let documentKind = Self(rawValue: "document.kind")
    /// A field launchq does not know.
    public static let fieldUnknown = Self(rawValue: "field.unknown")
    /// A required field is missing.
    public static let fieldRequired = Self(rawValue: "field.required")
    /// A field holds the wrong type or value.
    public static let fieldType = Self(rawValue: "field.type")
    /// A queue name outside 1..64 characters.
    public static let nameQueue = Self(rawValue: "name.queue")
    /// An entity, team or project name outside `[A-Za-z0-9_.-]{1,128}`.
    public static let nameEntity = Self(rawValue: "name.entity")
    /// Something that does not look like an email address.
    public static let nameEmail = Self(rawValue: "name.email")
    /// An external link that is not an absolute http(s) URL.
    public static let urlInvalid = Self(rawValue: "url.invalid")
    /// Two documents declare the same object.
    public static let identityDuplicate = Self(rawValue: "identity.duplicate")

    // Template variables
    /// A template variable name outside `[A-Za-z_][A-Za-z0-9_-]*` or longer than 64.
    public static let templateVariableName = Self(rawValue: "template.variable-name")
    /// `schema.type` missing or not `string`, `integer`, `number`.
    public static let templateSchemaType = Self(rawValue: "template.schema-type")
    /// A key in `schema` other than `type`, `default`, `minimum`, `maximum`, `enum`.
    public static let templateSchemaField = Self(rawValue: "template.schema-field")
    /// `minimum`/`maximum` wrong for the type, not numbers, or `minimum > maximum`.
    public static let templateBounds = Self(rawValue: "template.bounds")
    /// `enum` empty, with duplicates, or with items of the wrong type or out of bounds.
    public static let templateEnum = Self(rawValue: "template.enum")
    /// `default` of the wrong type, out of bounds, or not in `enum`.
    public static let templateDefault = Self(rawValue: "template.default")
    /// A `{{placeholder}}` naming no declared template variable.
    public static let templateUndeclared = Self(rawValue: "template.undeclared")
    /// A declared template variable no placeholder uses (warning).
    public static let templateUnused = Self(rawValue: "template.unused")
    /// A placeholder in a mapping key.
    public static let templateInKey = Self(rawValue: "template.in-key")
    /// A whole-value placeholder (`"{{x}}"`) where the runner needs a list or a mapping: a variable is a string or a number.
    public static let templatePlaceholderShape = Self(rawValue: "template.placeholder-shape")
    /// Unclosed braces or an empty `{{}}`.
    public static let templateSyntax = Self(rawValue: "template.syntax")
    /// Handlebars beyond a plain variable (`{{#if}}`, `{{> p}}`, `{{!c}}`, `{{{raw}}}`, helpers).
    public static let templateUnsupported = Self(rawValue: "template.unsupported")
    /// `${NAME}` filled from the agent's environment (note).
    public static let macroEnvironment = Self(rawValue: "macro.environment")
    /// `${...}` that is not a macro the agent fills; left as is (warning).
    public static let macroMalformed = Self(rawValue: "macro.malformed")

    // Resource types
    /// `resource_config` of the wrong shape for its type.
    public static let resourceConfigType = Self(rawValue: "resource.config-type")
    /// A Kubernetes setting the Launch agent refuses.
    public static let kubernetesRefused = Self(rawValue: "kubernetes.refused")
    /// SageMaker `RoleArn`/`role_arn` missing or not a string.
    public static let sagemakerRoleArn = Self(rawValue: "sagemaker.role-arn")
    /// A SageMaker section the runner needs is missing.
    public static let sagemakerMissing = Self(rawValue: "sagemaker.missing")
    /// Vertex `spec.worker_pool_specs` missing, empty, or without `container_spec`.
    public static let vertexWorkerPools = Self(rawValue: "vertex.worker-pools")
    /// Vertex `spec.staging_bucket` missing.
    public static let vertexStagingBucket = Self(rawValue: "vertex.staging-bucket")
    /// A key of Vertex `run` the runner does not read (warning).
    public static let vertexRunKey = Self(rawValue: "vertex.run-key")
    /// A local-container option the runner does not know.
    public static let localContainerKey = Self(rawValue: "local-container.key")
    /// A local-container value that is not a string or number.
    public static let localContainerValue = Self(rawValue: "local-container.value")
    /// A non-empty local-process config, which the runner ignores (warning).
    public static let localProcessIgnored = Self(rawValue: "local-process.ignored")
    /// `builder.accelerator.base_image` / `builder.cuda.base_image` not a string.
    public static let builderBaseImage = Self(rawValue: "builder.base-image")

    // Across documents
    /// A team admin or member that no User declaration names (warning offline).
    public static let referenceUser = Self(rawValue: "reference.user")
    /// An entity that no Team declaration names (warning offline).
    public static let referenceEntity = Self(rawValue: "reference.entity")
    /// A policy read after the bundle's queues were handed on (``BundleValidation/takeDeclarations()``) without
    /// being read first: the queues could not be held to it, so the bundle is refused.
    public static let bundlePolicyUnchecked = Self(rawValue: "bundle.policy-unchecked")

    // Rendering
    /// `--set` names a variable the queue does not declare.
    public static let renderUnknownVariable = Self(rawValue: "render.unknown-variable")
    /// A value that does not fit its variable's schema.
    public static let renderValue = Self(rawValue: "render.value")
    /// A variable with no value and no default.
    public static let renderMissing = Self(rawValue: "render.missing")
}
