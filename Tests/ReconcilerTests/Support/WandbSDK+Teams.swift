import Foundation
import JSON

/// Teams through the official SDK (`SDK/sdk_teams.py`).
extension WandbSDK {
    /// A team member as the SDK's `Team.members` reads it.
    struct Member: Decodable, Sendable {
        var id: String?
        var username: String?
        var email: String?
        var pending: Bool
        var admin: Bool
    }

    /// What ``teamMembers(_:users:baseURL:apiKey:)`` read.
    struct TeamReading: Decodable, Sendable {
        /// `api.team(name).members`.
        var members: [Member]
        /// Whether `api.user(reference)` finds each user asked about.
        var users: [String: Bool]
    }

    /// Reads `team`'s members, and whether each of `users` (emails or usernames) exists, through the SDK.
    static func teamMembers(_ team: String, users: [String], baseURL: String, apiKey: String) async throws -> TeamReading {
        let argument: JSONValue = .object(["team": .string(team), "users": .array(users.map(JSONValue.string))])
        let data = try await run("members", argument, baseURL: baseURL, apiKey: apiKey, script: "sdk_teams.py")
        return try JSONDecoder().decode(TeamReading.self, from: data)
    }
}
