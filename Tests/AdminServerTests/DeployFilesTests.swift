import Foundation
import Testing
import TestSupport

/// `deploy/Containerfile` builds from a clean clone: everything it copies from the build context is tracked by git
/// (an ignored file such as `Package.resolved` is absent from a fresh clone), and `.dockerignore` keeps local build
/// output out of the context.
@Suite("deploy files")
struct DeployFilesTests {
    /// The context paths of every `COPY` that copies from the build context (not `--from=<stage>`).
    static func copySources(_ containerfile: String) -> [String] {
        // Join continuation lines, then look at each instruction.
        let joined = containerfile.replacingOccurrences(of: "\\\n", with: " ")
        var sources: [String] = []
        for line in joined.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.first?.uppercased() == "COPY" else { continue }
            let flags = words.dropFirst().filter { $0.hasPrefix("--") }
            if flags.contains(where: { $0.hasPrefix("--from=") }) { continue }
            let paths = words.dropFirst().filter { !$0.hasPrefix("--") }
            sources += paths.dropLast()  // the last one is the destination
        }
        return sources
    }

    @Test("every COPY source of deploy/Containerfile is tracked by git")
    func copySourcesAreTracked() async throws {
        let containerfile = try String(contentsOf: Repository.root.appendingPathComponent("deploy/Containerfile"), encoding: .utf8)
        let sources = Self.copySources(containerfile)
        // The parse found the copies this image needs (so an empty parse cannot pass).
        #expect(sources.contains("Package.swift") && sources.contains("Sources"), "COPY sources: \(sources)")
        for source in sources {
            let listed = try await ChildProcess(
                "/usr/bin/env", arguments: ["git", "ls-files", "--", source], environment: Repository.environment,
                workingDirectory: Repository.root.path
            ).finish(timeout: .seconds(60))
            try #require(listed.status == 0, "git ls-files failed: \(listed.both)")
            #expect(!listed.output.isEmpty, "deploy/Containerfile copies \(source), which git does not track: a clean clone has no such file")
        }
    }

    @Test("the parser sees context copies, skips copies from a stage, and drops the destination")
    func parserReadsCopies() {
        let text = """
            COPY Package.swift Package.resolved ./
            COPY --from=build /staging/launchq /usr/local/bin/launchq
            COPY --chown=1:1 \\
                 examples /staging/examples
            RUN echo COPY nothing
            """
        #expect(Self.copySources(text) == ["Package.swift", "Package.resolved", "examples"])
    }

    @Test(".dockerignore keeps the build directory and virtual environments out of the context")
    func dockerignoreExcludesBuildOutput() throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent(".dockerignore"), encoding: .utf8)
        let patterns = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") && !$0.isEmpty })
        #expect(patterns.contains(".build") || patterns.contains(".build/"), "\(patterns)")
        #expect(patterns.contains(".venv*") || patterns.contains(".venv*/"), "\(patterns)")
    }
}
