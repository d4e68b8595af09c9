import Foundation
import JSON
import Planning
import TestSupport
import Testing
import WandbSandbox

/// `launchq apply --plan` with a plan saved by an older launchq (format 1: steps without a typed `write`).
@Suite("launchq apply refuses a plan of an older format", .serialized)
struct SavedPlanFormatEndToEnd {
    @Test("a format-1 plan is refused with exit 1, a message saying to plan again, and no write", .timeLimit(.minutes(5)))
    func olderPlanRefused() async throws {
        try await EndToEnd.with { sandbox in
            let folder = try Repository.temporaryFolder("launchq-old-plan")
            defer { try? FileManager.default.removeItem(at: folder) }
            let planPath = folder.appendingPathComponent("plan.json").path
            let planned = try await LaunchqCLI.run(["plan", "examples", "--out", planPath], sandbox: sandbox)
            #expect(planned.status == 2, "\(planned.both)")

            // What launchq before the typed payload saved: formatVersion 1 and steps with `desired` only.
            let current = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: planPath))))
            guard case .object(var document) = current, let steps = document["steps"]?.array else {
                Issue.record("the saved plan is a JSON object with steps")
                return
            }
            document["formatVersion"] = 1
            document["steps"] = .array(steps.map { step in .object((step.object ?? [:]).filter { $0.key != "write" }) })
            let oldPath = folder.appendingPathComponent("old-plan.json").path
            try Data(CanonicalJSON.bytes(.object(document))).write(to: URL(fileURLWithPath: oldPath))

            await sandbox.server.resetCounters()
            let refused = try await LaunchqCLI.run(["apply", "--plan", oldPath, "--auto-approve"], sandbox: sandbox)
            #expect(refused.status == 1, "\(refused.both)")
            #expect(refused.errors.contains("made by an older launchq"), "\(refused.both)")
            #expect(refused.errors.contains("run launchq plan again"), "\(refused.both)")
            #expect(await sandbox.server.counters().mutations == 0, "a refused plan must not write anything")

            // The plan saved by this launchq applies.
            let applied = try await LaunchqCLI.run(["apply", "--plan", planPath, "--auto-approve"], sandbox: sandbox)
            #expect(applied.status == 0, "\(applied.both)")
        }
    }
}
