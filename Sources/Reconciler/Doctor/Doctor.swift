import Foundation
import JSON
import Logging
import WandbAPI
import WandbModel

/// `launchq doctor`: a read-only compatibility check of a W&B server, the first thing to run on a new instance.
///
/// It reads the key's user and whether it is an instance admin, one entity, one batched read at the client's
/// batch size, whether user search is allowed, and validates every mutation document launchq may send
/// (``mutations``, the documents of ``Operations``, not copies) without running it (``MutationCheck``). With a
/// ``Settings/canaryEntity`` it also writes: a throwaway queue, read back, planned (no change), deleted
/// (see `Doctor+Canary.swift`).
///
/// It lives in Reconciler because the canary is an apply through the one reconcile pipeline (``Reconciliation``),
/// and its other checks use only the client.
public struct Doctor: Sendable {
    /// What to check beyond the fixed checks.
    public struct Settings: Sendable {
        /// The entity to read (default: the key's own entity).
        public var entity: String?
        /// Create, read back, plan and delete a throwaway queue in this entity.
        public var canaryEntity: String?

        public init(entity: String? = nil, canaryEntity: String? = nil) {
            self.entity = entity
            self.canaryEntity = canaryEntity
        }
    }

    public let client: WandbClient
    public var settings: Settings
    public var logger: Logger

    public init(client: WandbClient, settings: Settings = .init(), logger: Logger = Logger(label: "launchq.doctor")) {
        self.client = client
        self.settings = settings
        self.logger = logger
    }

    /// Every mutation document launchq may send, once each, in ``Operations/all``'s order.
    public static var mutations: [GraphQLOperation] {
        var seen: Set<String> = []
        return Operations.all.filter { $0.kind != .query && seen.insert($0.name).inserted }
    }

    /// Runs every check. Never throws: a failure is a row of the report.
    public func run() async -> DoctorReport {
        var report = DoctorReport(server: client.configuration.baseURL, reachable: false)
        let user: ObservedUser
        do {
            // The first request fails fast: an unreachable server is reported in seconds, not after the client's
            // whole retry budget; the checks after it retry as usual.
            var quick = client.configuration
            quick.retry = RetryPolicy(maximumAttempts: 2)
            quick.deadline = min(quick.deadline, .seconds(20))
            user = try await WandbClient(configuration: quick, logger: logger).currentUser()
        } catch {
            let reason = Self.describe(error)
            let unreachable = Self.cannotConnect(error)
            report.reachable = !unreachable
            report.checks.append(.init(check: "viewer", subject: "API key", status: .failed, detail: reason))
            return report
        }
        report.reachable = true
        let username = user.username ?? user.id
        report.user = DoctorReport.User(username: username, admin: user.admin)
        report.checks.append(.init(
            check: "viewer", subject: username, status: .ok,
            detail: "the API key belongs to \(username), " + (user.admin
                ? "an instance admin"
                : "not an instance admin: declarations of teams and users need an instance-admin key")))

        let entity = settings.entity ?? user.entity ?? username
        report.checks.append(await entityRead(entity))
        report.checks.append(await batchedRead(entity))
        report.checks.append(await userSearch(username))
        for operation in Self.mutations {
            report.checks.append(await validate(operation))
        }
        if let canary = settings.canaryEntity {
            report.checks.append(contentsOf: await runCanary(in: canary))
        }
        return report
    }

    /// One entity read with everything a plan reads (`ReadEntities(1, all)`).
    func entityRead(_ entity: String) async -> DoctorReport.Check {
        do {
            let read = try await client.readEntities([entity], including: .all)
            guard let observed = read[entity], observed.exists else {
                return .init(
                    check: "entity-read", subject: entity, status: .warning,
                    detail: "read works, but the entity is absent or not visible to this API key")
            }
            return .init(
                check: "entity-read", subject: entity, status: .ok,
                detail: "\(observed.runQueues.count) queue(s), \(observed.members.count) member(s), \(observed.projects.count) project(s)")
        } catch {
            return .init(check: "entity-read", subject: entity, status: .failed, detail: Self.describe(error))
        }
    }

    /// The same entity under `batchSize` aliases in one request, the largest batch a plan sends; smaller batches
    /// are tried when it fails, as the client halves them.
    func batchedRead(_ entity: String) async -> DoctorReport.Check {
        let configured = max(1, client.configuration.batchSize)
        var size = configured
        var firstFailure: String?
        while true {
            let operation = Operations.readEntities(count: size, parts: .all)
            var variables: [String: JSONValue] = ["perPage": .integer(client.configuration.projectsPageSize)]
            for index in 0..<size { variables["e\(index)"] = .string(entity) }
            let clock = ContinuousClock()
            let start = clock.now
            do {
                _ = try await client.execute(operation, variables: variables)
                let elapsed = start.duration(to: clock.now).components
                let time = "\(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000) ms"
                if size == configured {
                    return .init(
                        check: "batched-read", subject: "\(size) entities", status: .ok,
                        detail: "one request of \(size) entities answered in \(time)")
                }
                return .init(
                    check: "batched-read", subject: "\(configured) entities", status: .warning,
                    detail: "a batch of \(configured) failed (\(firstFailure ?? "")); \(size) works (\(time)): "
                        + "launchq halves batches itself; --wandb-batch-size \(size) avoids the retries")
            } catch {
                if Self.cannotConnect(error) || size == 1 {
                    return .init(check: "batched-read", subject: "\(configured) entities", status: .failed, detail: Self.describe(error))
                }
                if firstFailure == nil { firstFailure = Self.describe(error) }
                size = max(1, size / 2)
            }
        }
    }

    /// Whether the key may search users (`users(query:)` is instance-admin only on W&B).
    func userSearch(_ username: String) async -> DoctorReport.Check {
        do {
            let found = try await client.users(matching: [username])
            return .init(
                check: "user-search", subject: "users(query:)", status: .ok,
                detail: found[username] == nil ? "allowed (the key's own user was not among the matches)" : "allowed")
        } catch let error as WandbAPIError where error.code != .transport && error.code != .deadlineExceeded {
            return .init(
                check: "user-search", subject: "users(query:)", status: .warning,
                detail: "not allowed (\(error.message)): User and Team-member declarations need an instance-admin key")
        } catch {
            return .init(check: "user-search", subject: "users(query:)", status: .failed, detail: Self.describe(error))
        }
    }

    /// Sends `operation` with ill-typed variables and judges the answer (``MutationCheck``).
    func validate(_ operation: GraphQLOperation) async -> DoctorReport.Check {
        let variables = MutationCheck.illTypedVariables(for: operation)
        guard !variables.isEmpty else {
            // Nothing to make ill-typed: the server would run it. Never sent.
            return .init(
                check: "mutation", subject: operation.name, status: .failed,
                detail: "not verified: the document declares no variables, so it cannot be checked without running it")
        }
        let verdict: MutationCheck.Verdict
        do {
            _ = try await client.execute(operation, variables: variables)
            verdict = MutationCheck.verdict(messages: [], ranWithoutErrors: true)
        } catch let error as WandbAPIError where error.code == .graphQL || (error.code == .http && error.httpStatus == 400) {
            verdict = MutationCheck.verdict(messages: error.graphQLMessages.isEmpty ? [error.message] : error.graphQLMessages)
        } catch {
            verdict = .unclear(Self.describe(error))
        }
        switch verdict {
        case .accepted:
            return .init(
                check: "mutation", subject: operation.name, status: .ok,
                detail: "accepted: the document is valid; its ill-typed variables were refused, nothing ran")
        case .incompatible(let message):
            return .init(check: "mutation", subject: operation.name, status: .failed, detail: "incompatible: \(message)")
        case .executed:
            return .init(
                check: "mutation", subject: operation.name, status: .failed,
                detail: "the server ran it with ill-typed variables: this check is not read-only on this server")
        case .unclear(let message):
            return .init(check: "mutation", subject: operation.name, status: .failed, detail: "not verified: \(message)")
        }
    }

    /// Whether `error` means the server could not be reached or refused the key.
    static func cannotConnect(_ error: any Error) -> Bool {
        guard let error = error as? WandbAPIError else { return true }
        return [.transport, .deadlineExceeded, .unauthorized, .configuration].contains(error.code)
    }

    /// One line for a failure (the client's errors never carry the API key).
    static func describe(_ error: any Error) -> String {
        if let error = error as? WandbAPIError {
            var text = "[\(error.code)]"
            if let status = error.httpStatus { text += " HTTP \(status)" }
            return text + ": " + error.message
        }
        return "\(error)"
    }
}
