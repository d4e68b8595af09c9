import AdminServer
import Foundation
import Testing

@Suite("Directory source")
struct SourceDirectoryTests {
    @Test("reads yaml, yml and json files recursively, relative and sorted; skips hidden files and other endings")
    func readsDeclarationFiles() async throws {
        let dir = try SourceTempDirectory()
        try dir.write("queues/gpu.yaml", "kind: RunQueue\n")
        try dir.write("teams.YML", "kind: Team\n")
        try dir.write("users/a.json", "{}")
        try dir.write("README.md", "# not a declaration")
        try dir.write(".hidden.yaml", "kind: Secret\n")
        try dir.write(".github/workflows/ci.yaml", "on: push\n")
        let snapshot = try await DirectorySource(path: dir.path).snapshot()
        #expect(snapshot.files.map(\.path) == ["queues/gpu.yaml", "teams.YML", "users/a.json"])
        #expect(snapshot.files[0].contents == Array("kind: RunQueue\n".utf8))
        #expect(snapshot.kind == "directory")
        #expect(snapshot.location == dir.path)
        #expect(snapshot.commit == nil && snapshot.author == nil)
    }

    @Test("a symbolic link that escapes the directory fails the snapshot, naming the link")
    func symlinkEscapeRefused() async throws {
        let dir = try SourceTempDirectory()
        let outside = try SourceTempDirectory("outside")
        try outside.write("secret.yaml", "password: hunter2\n")
        try dir.write("ok.yaml", "kind: Team\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/leak.yaml", withDestinationPath: outside.path + "/secret.yaml")
        let error = await #expect(throws: SourceError.self) { try await DirectorySource(path: dir.path).snapshot() }
        #expect(error?.code == .symlinkEscapes)
        #expect(error?.message.contains("leak.yaml") == true)
        #expect(error?.message.contains("hunter2") == false)
    }

    @Test("a symbolic link to a folder outside is refused too, also through a relative ../ target")
    func symlinkedFolderEscapeRefused() async throws {
        let dir = try SourceTempDirectory()
        let outside = try SourceTempDirectory("outside")
        try outside.write("x.yaml", "kind: Team\n")
        let relativeTarget = "../" + (outside.path as NSString).lastPathComponent
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/more", withDestinationPath: relativeTarget)
        let error = await #expect(throws: SourceError.self) { try await DirectorySource(path: dir.path).snapshot() }
        #expect(error?.code == .symlinkEscapes)
    }

    @Test("a symbolic link that stays inside is followed")
    func symlinkInsideFollowed() async throws {
        let dir = try SourceTempDirectory()
        try dir.write("real/q.yaml", "kind: RunQueue\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/alias.yaml", withDestinationPath: "real/q.yaml")
        let snapshot = try await DirectorySource(path: dir.path).snapshot()
        #expect(snapshot.files.map(\.path) == ["alias.yaml", "real/q.yaml"])
        #expect(snapshot.files[0].contents == snapshot.files[1].contents)
    }

    @Test("a Kubernetes ConfigMap volume (files are links through the hidden ..data folder) reads as its keys")
    func configMapLayout() async throws {
        let dir = try SourceTempDirectory()
        let timestamped = "..2026_11_29_10_00_00.123456789"
        try dir.write("\(timestamped)/people.yaml", "kind: User\n")
        try dir.write("\(timestamped)/queues.yaml", "kind: RunQueue\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/..data", withDestinationPath: timestamped)
        for key in ["people.yaml", "queues.yaml"] {
            try FileManager.default.createSymbolicLink(atPath: dir.path + "/" + key, withDestinationPath: "..data/" + key)
        }
        let snapshot = try await DirectorySource(path: dir.path).snapshot()
        #expect(snapshot.files.map(\.path) == ["people.yaml", "queues.yaml"])
        #expect(snapshot.files[1].contents == Array("kind: RunQueue\n".utf8))
    }

    @Test("a source path with '..' is refused; parse() resolves a relative path first")
    func dotDotRefused() async throws {
        let dir = try SourceTempDirectory()
        try dir.write("sub/a.yaml", "kind: Team\n")
        let error = await #expect(throws: SourceError.self) {
            try await DirectorySource(path: dir.path + "/sub/../sub").snapshot()
        }
        #expect(error?.code == .unsafePath)
        let parsed = try GitSource.parse(dir.path + "/sub/../sub")
        let directory = try #require(parsed as? DirectorySource)
        #expect(directory.path == dir.path + "/sub")
        #expect(try await directory.snapshot().files.map(\.path) == ["a.yaml"])
    }

    @Test("relative path validation refuses absolute, empty and dot components", arguments: [
        "/etc/passwd", "", "a/../b", "..", "./a.yaml", "a//b.yaml", "a/.",
    ])
    func relativePathsRefused(path: String) {
        #expect(throws: SourceError.self) { try SourcePath.validateRelative(path) }
    }

    @Test("relative path validation accepts ordinary paths")
    func relativePathsAccepted() throws {
        try SourcePath.validateRelative("queues/gpu.yaml")
        try SourcePath.validateRelative("a..b/c.yaml")
    }

    @Test("a missing directory is a clear error")
    func missingDirectory() async throws {
        let error = await #expect(throws: SourceError.self) {
            try await DirectorySource(path: "/nonexistent/launchq-decls").snapshot()
        }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("/nonexistent/launchq-decls") == true)
    }

    @Test("files are read up to one byte past the loader's limit, so the loader refuses them")
    func oversizedFileCapped() async throws {
        let dir = try SourceTempDirectory()
        try dir.write("big.yaml", String(repeating: "#", count: 3000))
        var configuration = DirectorySource.Configuration()
        configuration.maxFileBytes = 1000
        let snapshot = try await DirectorySource(path: dir.path, configuration: configuration).snapshot()
        #expect(snapshot.files.first?.contents.count == 1001)
    }
}
