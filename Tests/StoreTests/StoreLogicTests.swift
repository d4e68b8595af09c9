import Declarations
import Foundation
import PostgresNIO
import Store
import Testing
import TestSupport

@Suite("Store logic without a database")
struct StoreLogicTests {
    /// Token hashes and migration checksums (both stored in PostgreSQL) are SHA-256 as lower-case hex, byte for byte
    /// what the hand-written SHA-256 before swift-crypto produced: the FIPS 180 vectors.
    @Test func sha256MatchesTheNISTVectors() {
        #expect(TokenSecret.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(TokenSecret.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            TokenSecret.hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            TokenSecret.hash(String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(Migration(version: 1, name: "abc", sql: "abc").checksum == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// Revision batches: at most 5,000 declarations or 256 KiB of documents per statement, never empty, one
    /// declaration larger than the budget on its own.
    @Test func revisionBatchesAreBoundedByCountAndBytes() {
        func record(_ bytes: Int) -> DeclarationRecord {
            DeclarationRecord(kind: "Team", identity: "t", contentHash: "h", document: String(repeating: "a", count: bytes), file: "f.yaml", line: 1, column: 1)
        }
        #expect(PostgresRevisionRepository.batches(of: []).isEmpty)
        #expect(PostgresRevisionRepository.batches(of: Array(repeating: record(10), count: 12_000)) == [0..<5_000, 5_000..<10_000, 10_000..<12_000])
        let budget = PostgresRevisionRepository.batchBytes
        #expect(PostgresRevisionRepository.batches(of: [record(budget / 2), record(budget / 2), record(1)]) == [0..<2, 2..<3])
        #expect(PostgresRevisionRepository.batches(of: [record(1), record(budget + 1), record(1)]) == [0..<1, 1..<2, 2..<3])
    }

    @Test func sqlScriptSplitsOnTopLevelSemicolonsOnly() {
        let script = SQLScript(
            """
            -- a comment; not a statement
            CREATE TABLE t (a text DEFAULT 'x;y', "we;ird" int);
            /* block; /* nested; */ still comment */
            INSERT INTO t VALUES (E'it\\'s; fine', 1);
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$
            BEGIN RETURN 1; END;
            $body$;
            SELECT $1::int, $$a;b$$;

            -- trailing comment only
            """)
        #expect(script.statements.count == 4)
        #expect(script.statements.map(\.line) == [2, 4, 5, 8])
        #expect(script.statements[0].sql == #"CREATE TABLE t (a text DEFAULT 'x;y', "we;ird" int)"#)
        #expect(script.statements[2].sql.hasSuffix("$body$"))
        #expect(script.statements[3].sql == "SELECT $1::int, $$a;b$$")
    }

    @Test func databaseURLIsParsedAndThePasswordNeverPrinted() throws {
        let config = try DatabaseConfiguration(url: "postgres://lq%40user:s3cr%3At@db.example:6543/launchq?sslmode=require")
        #expect(config.host == "db.example")
        #expect(config.port == 6543)
        #expect(config.username == "lq@user")
        #expect(config.password == "s3cr:t")
        #expect(config.database == "launchq")
        #expect(config.sslMode == .require)
        #expect(!config.description.contains("s3cr"))
        #expect(config.description == "postgres://lq@user:***@db.example:6543/launchq?sslmode=require")

        let defaults = try DatabaseConfiguration(url: "postgresql://me@localhost")
        #expect(defaults.port == 5432)
        #expect(defaults.database == "me")
        #expect(defaults.sslMode == .prefer)
    }

    @Test(arguments: [
        "", "mysql://u@h/db", "postgres://h/db", "postgres://u@/db", "postgres://u@h:70000/db",
        "postgres://u:pw@h/db?sslmode=sometimes", "postgres://u:pw@h/db?application=x",
    ])
    func badDatabaseURLsAreRefusedWithoutEchoingThePassword(url: String) {
        do {
            _ = try DatabaseConfiguration(url: url)
            Issue.record("accepted \(url)")
        } catch let error as StoreError {
            #expect(error.code == .invalidDatabaseURL)
            #expect(!error.message.contains("pw"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// Every idle period of a pooled connection starts a timer that lives until its deadline even when the next
    /// query cancels it (issue 13): the pool closes idle connections soon and sends no keep-alives, so such timers
    /// last seconds, not a minute.
    @Test func thePoolKeepsNoLongIdleOrKeepAliveTimers() throws {
        let options = try DatabaseConfiguration(url: "postgres://me@localhost/db?sslmode=disable").clientConfiguration().options
        #expect(options.connectionIdleTimeout == .seconds(5))
        #expect(options.keepAliveBehavior == nil)
        #expect(options.maximumConnections == 10)
    }

    @Test func databaseURLComesFromTheFlagThenTheEnvironment() throws {
        let fromFlag = try DatabaseConfiguration.resolve(
            explicit: "postgres://a@flag/db", environment: ["DATABASE_URL": "postgres://b@env/db"])
        #expect(fromFlag.host == "flag")
        let fromEnvironment = try DatabaseConfiguration.resolve(explicit: nil, environment: ["DATABASE_URL": "postgres://b@env/db"])
        #expect(fromEnvironment.host == "env")
        #expect(throws: StoreError.self) { try DatabaseConfiguration.resolve(explicit: nil, environment: [:]) }
    }

    @Test func migrationFileNames() {
        #expect(Migration.parseFileName("0001_init.sql")! == (1, "init"))
        #expect(Migration.parseFileName("0012_add-index.sql")! == (12, "add-index"))
        #expect(Migration.parseFileName("init.sql") == nil)
        #expect(Migration.parseFileName("0000_zero.sql") == nil)
        #expect(Migration.parseFileName("01_x.txt") == nil)
        #expect(Migration(version: 3, name: "x", sql: "").fileName == "0003_x.sql")
    }

    /// The binary ships `Migration.embedded`; it must be exactly `migrations/*.sql` (run scripts/embed-migrations).
    @Test func embeddedMigrationsEqualTheFilesInMigrations() throws {
        let onDisk = try Migration.load(from: Repository.root.appendingPathComponent("migrations"))
        #expect(!onDisk.isEmpty)
        #expect(
            Migration.embedded == onDisk,
            "Sources/Store/Migrations/EmbeddedMigrations.swift is stale: run scripts/embed-migrations")
        #expect(Migration.embedded.map(\.version) == Array(1...Migration.embedded.count), "migration numbers must have no gaps")
    }

    @Test func tokenSecretsAreRandomAndOnlyTheirHashIsKept() throws {
        let a = TokenSecret.generate()
        let b = TokenSecret.generate()
        #expect(a != b)
        #expect(a.hasPrefix("lq_") && a.count == 67)
        #expect(TokenSecret.hash(a).count == 64)
        #expect(TokenSecret.hash(a) != TokenSecret.hash(b))
        #expect(throws: StoreError.self) { try TokenSecret.validate(name: "  ") }
        #expect(throws: StoreError.self) { try TokenSecret.validate(name: "bad\u{7}name") }
        #expect(TokenRole.admin.allows(.viewer) && TokenRole.admin.allows(.admin))
        #expect(TokenRole.viewer.allows(.viewer) && !TokenRole.viewer.allows(.admin))
    }

    @Test func revisionDraftsWithTheSameObjectTwiceAreRefused() {
        let record = DeclarationRecord(kind: "RunQueue", identity: "acme/q", contentHash: "h", document: "{}", file: "a.yaml", line: 1, column: 1)
        var second = record
        second.line = 9
        let draft = RevisionDraft(source: .init(kind: "directory", location: "."), contentHash: "x", declarations: [record, second])
        #expect {
            try draft.validate()
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .invalidRevision && error.message.contains("a.yaml:9:1") && error.message.contains("a.yaml:1:1")
        }
        let badSource = RevisionDraft(source: .init(kind: "ftp", location: "."), contentHash: "x", declarations: [])
        #expect(throws: StoreError.self) { try badSource.validate() }
    }
}
