import Foundation
import Store
import Testing
import TestSupport

/// `WANDB_API_KEY_FILE`, `DATABASE_URL_FILE` (and `LAUNCHQ_WEBHOOK_SECRET_FILE`, in RequestLogTests): a secret read
/// from a file, as container secrets are mounted; the built binary, end to end.
@Suite("secret settings from files", .serialized, .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct SecretFileSettingsTests {
    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(
            try LaunchqBinary.require(), arguments: arguments, environment: environment, workingDirectory: Repository.root.path, timeout: .seconds(120))
    }

    @Test("WANDB_API_KEY_FILE: the key with its trailing newline removed; both set or an unreadable file is exit 1 without the key")
    func wandbAPIKeyFile() async throws {
        let folder = try Repository.temporaryFolder("launchq-secret-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await EndToEnd.with { sandbox in
            let keyFile = folder.appendingPathComponent("wandb-key")
            try Data((sandbox.adminKey + "\r\n").utf8).write(to: keyFile)
            var fromFile = LaunchqCLI.environment(sandbox)
            fromFile["WANDB_API_KEY"] = nil
            fromFile["WANDB_API_KEY_FILE"] = keyFile.path
            let planned = try await Self.run(["plan", "examples"], fromFile)
            #expect(planned.status == 2, "the key from the file is accepted: \(planned.both)")

            var both = fromFile
            both["WANDB_API_KEY"] = sandbox.adminKey
            let conflict = try await Self.run(["plan", "examples"], both)
            #expect(conflict.status == 1 && conflict.errors.contains("both WANDB_API_KEY and WANDB_API_KEY_FILE"), "\(conflict.both)")
            #expect(!conflict.both.contains(sandbox.adminKey), "the key must not be printed: \(conflict.both)")

            var unreadable = fromFile
            let missing = folder.appendingPathComponent("no-such-key").path
            unreadable["WANDB_API_KEY_FILE"] = missing
            let failed = try await Self.run(["plan", "examples"], unreadable)
            #expect(failed.status == 1 && failed.errors.contains("cannot read WANDB_API_KEY_FILE (\(missing))"), "\(failed.both)")

            let emptyFile = folder.appendingPathComponent("empty")
            try Data("\n".utf8).write(to: emptyFile)
            var empty = fromFile
            empty["WANDB_API_KEY_FILE"] = emptyFile.path
            let emptyResult = try await Self.run(["plan", "examples"], empty)
            #expect(emptyResult.status == 1 && emptyResult.errors.contains("is empty"), "\(emptyResult.both)")
        }
    }

    @Test("LAUNCHQ_WEBHOOK_SECRET_FILE is read by serve: both set, or an unreadable file, stops it with exit 1 before it starts")
    func webhookSecretFile() async throws {
        let folder = try Repository.temporaryFolder("launchq-secret-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        let secretFile = folder.appendingPathComponent("webhook-secret")
        let fileSecret = "from-the-file-" + TestSandbox.randomKey()
        try Data((fileSecret + "\n").utf8).write(to: secretFile)
        var environment = Repository.environment.filter { !$0.key.hasPrefix("LAUNCHQ_") && $0.key != "DATABASE_URL" }
        environment["LAUNCHQ_WEBHOOK_SECRET_FILE"] = secretFile.path
        environment["LAUNCHQ_WEBHOOK_SECRET"] = "from-the-environment"
        let conflict = try await Self.run(["serve", "--listen", "127.0.0.1:0"], environment)
        #expect(conflict.status == 1 && conflict.errors.contains("both LAUNCHQ_WEBHOOK_SECRET and LAUNCHQ_WEBHOOK_SECRET_FILE"), "\(conflict.both)")
        #expect(!conflict.both.contains(fileSecret) && !conflict.both.contains("from-the-environment"), "\(conflict.both)")

        environment["LAUNCHQ_WEBHOOK_SECRET"] = nil
        environment["LAUNCHQ_WEBHOOK_SECRET_FILE"] = folder.appendingPathComponent("missing").path
        let unreadable = try await Self.run(["serve", "--listen", "127.0.0.1:0"], environment)
        #expect(unreadable.status == 1 && unreadable.errors.contains("cannot read LAUNCHQ_WEBHOOK_SECRET_FILE"), "\(unreadable.both)")
    }

    @Test("DATABASE_URL_FILE: the URL from a file; both set is exit 1 and prints neither value")
    func databaseURLFile() async throws {
        let folder = try Repository.temporaryFolder("launchq-secret-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestDatabase.withFreshDatabase { store, database in
            _ = try await store.tokens.create(name: "from-file", role: .admin)
            let url = TestDatabase.url(of: database)
            let urlFile = folder.appendingPathComponent("database-url")
            try Data((url + "\n").utf8).write(to: urlFile)
            var environment = Repository.environment.filter { !$0.key.hasPrefix("LAUNCHQ_") && $0.key != "DATABASE_URL" }
            environment["DATABASE_URL_FILE"] = urlFile.path
            let listed = try await Self.run(["token", "list"], environment)
            #expect(listed.status == 0 && listed.output.contains("from-file"), "\(listed.both)")

            let otherURL = "postgres://someone:hunter2-not-printed@db.invalid:5432/x"
            environment["DATABASE_URL"] = otherURL
            let conflict = try await Self.run(["token", "list"], environment)
            #expect(conflict.status == 1 && conflict.errors.contains("both DATABASE_URL and DATABASE_URL_FILE"), "\(conflict.both)")
            #expect(!conflict.both.contains("hunter2") && !conflict.both.contains(url), "no value is printed: \(conflict.both)")
        }
    }
}
