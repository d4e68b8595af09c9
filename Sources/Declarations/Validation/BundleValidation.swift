/// Validates a bundle one file at a time, so that only one file's documents (their `Node` trees, ~7x the
/// text) are alive at once, with the same report as ``Validator/validate(_:)`` on all the files loaded together.
///
/// Policies may be declared in any file, after the queues they cover, and a queue's policy findings need the
/// queue's document to locate them; so the policies are read first, from the files that may declare one
/// (``mayDeclarePolicy(_:)``), then every file is added in order and its queues held to them while its
/// documents are alive:
///
/// ```swift
/// var bundle = BundleValidation(validator: Validator())
/// for file in files where BundleValidation.mayDeclarePolicy(file.bytes) { bundle.readPolicies(from: load(file)) }
/// for file in files { bundle.add(load(file)) }
/// let report = bundle.finish()
/// ```
///
/// A caller that turns each declaration into something smaller (a revision's records) can take the
/// declarations after each ``add(_:)`` with ``takeDeclarations()``: the rules across documents read a light
/// summary of each (``BundleRules/Summary``), so the same diagnostics come out and the report has no declarations.
public struct BundleValidation: Sendable {
    public let validator: Validator
    /// The policies read by ``readPolicies(from:)``, in file order.
    private var policies: [PolicyCheck.Declared] = []
    /// The declarations read and not yet taken.
    private var declarations: [Declaration] = []
    /// What ``BundleRules`` needs of every declaration read, in order.
    private var summaries: [BundleRules.Summary] = []
    /// Policies that ``add(_:)`` read but pass 1 was not given, in order.
    private var missed: [PolicyCheck.Declared] = []
    /// Whether ``takeDeclarations()`` was called.
    private var taken = false
    /// Load diagnostics come first in the report, then the documents' own, then the bundle rules', then the policies'.
    private var loadDiagnostics: [Diagnostic] = []
    private var documentSink = DiagnosticSink()
    private var policySink = DiagnosticSink()
    private var fileCount = 0
    private var added = false

    public init(validator: Validator = Validator()) {
        self.validator = validator
    }

    /// Whether a file's bytes can declare a `kind: Policy`: they hold `Policy` not right after a letter or digit
    /// (so `restartPolicy` does not count), or a backslash (an escape could spell it). Files for which this is
    /// false need not be given to ``readPolicies(from:)``.
    public static func mayDeclarePolicy(_ contents: [UInt8]) -> Bool {
        let word = Array("Policy".utf8)
        return contents.withUnsafeBufferPointer { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") { return true }
                if byte == word[0], index + word.count <= bytes.count,
                    (1..<word.count).allSatisfy({ bytes[index + $0] == word[$0] }),
                    index == 0 || !isLetterOrDigit(bytes[index - 1]) {
                    return true
                }
                index += 1
            }
            return false
        }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Pass 1: reads the `kind: Policy` documents of `load` (one or more files, in bundle order). Call it for
    /// every file that ``mayDeclarePolicy(_:)`` before the first ``add(_:)``; its diagnostics are not kept
    /// (``add(_:)`` reports them).
    public mutating func readPolicies(from load: LoadResult) {
        precondition(!added, "policies are read before the first file is added")
        var scratch = DiagnosticSink()
        for document in load.documents where document.root.entries?.first(where: { $0.key == "kind" })?.value.string == Declaration.Kind.policy.rawValue {
            if let declaration = validator.read(document.root, sink: &scratch), case .policy(let policy) = declaration.object {
                policies.append((policy, declaration.location))
            }
        }
    }

    /// Pass 2: reads and checks `load`'s documents (the next file or files of the bundle), keeping their
    /// declarations and diagnostics but not the documents.
    public mutating func add(_ load: LoadResult) {
        added = true
        fileCount += load.fileCount
        loadDiagnostics += load.diagnostics
        for document in load.documents {
            NonFiniteNumbers.check(document.root, path: .root, sink: &documentSink)
            guard let declaration = validator.read(document.root, sink: &documentSink) else { continue }
            summaries.append(BundleRules.Summary(declaration))
            switch declaration.object {
            case .runQueue(let queue) where !policies.isEmpty:
                PolicyCheck.check(queue, root: document.root, against: policies, sink: &policySink)
            case .policy(let policy) where !policies.contains(where: { $0.place == declaration.location }):
                missed.append((policy, declaration.location))
            default:
                break
            }
            declarations.append(declaration)
        }
    }

    /// Hands out the declarations read since the last call (all of them at the first), in file order, and
    /// lets them go: call it after each ``add(_:)`` to turn them into something smaller as the bundle is read.
    ///
    /// ``finish()``'s report then has no declarations (and so no ``ValidationReport/contentHash``: make it from
    /// what the declarations became). A policy that pass 1 was not given can no longer be held to the queues
    /// taken before it: ``finish()`` then reports `bundle.policy-unchecked`, an error, rather than skip the check.
    public mutating func takeDeclarations() -> [Declaration] {
        taken = true
        let read = declarations
        declarations = []
        return read
    }

    /// Runs the rules across documents and returns the report.
    public func finish() -> ValidationReport {
        var sink = DiagnosticSink(diagnostics: loadDiagnostics)
        sink.diagnostics += documentSink.diagnostics
        BundleRules.check(summaries, sink: &sink)
        sink.diagnostics += policySink.diagnostics
        if taken {
            // The queues are gone: a bundle must not pass with a policy its queues were not held to.
            for (policy, place) in missed {
                sink.error(
                    .bundlePolicyUnchecked,
                    "policy \"\(policy.name)\" was read after the queues were handed on, so they could not be held to it; the bundle is refused",
                    at: place, path: .root)
            }
        } else if !missed.isEmpty {
            // A policy that pass 1 was not given cannot locate findings in documents gone by now: they point at the queue.
            for declaration in declarations {
                guard case .runQueue(let queue) = declaration.object else { continue }
                PolicyCheck.check(queue, root: Node(.null, at: declaration.location), against: missed, sink: &sink)
            }
        }
        return ValidationReport(declarations: declarations, diagnostics: sink.diagnostics, fileCount: fileCount)
    }
}

extension Validator {
    /// Validates in-memory files (`file(i)` is the i-th file's path and bytes) as one bundle, loading one file
    /// at a time (see ``BundleValidation``): the same report as loading them all into one ``LoadResult``.
    /// `added(i, &bundle)` is called once file `i` was added: a caller can let its bytes go there, and take its
    /// declarations (``BundleValidation/takeDeclarations()``).
    public func validate(
        fileCount: Int, loader: DeclarationLoader = DeclarationLoader(), file: (Int) -> (path: String, contents: [UInt8]),
        added: (_ index: Int, _ bundle: inout BundleValidation) -> Void = { _, _ in }
    ) -> ValidationReport {
        var bundle = BundleValidation(validator: self)
        for index in 0..<fileCount {
            let (path, contents) = file(index)
            if BundleValidation.mayDeclarePolicy(contents) { bundle.readPolicies(from: loader.load(contents: contents, file: path)) }
        }
        for index in 0..<fileCount {
            let (path, contents) = file(index)
            bundle.add(loader.load(contents: contents, file: path))
            added(index, &bundle)
        }
        return bundle.finish()
    }
}
