import ArgumentParser
import Foundation
import Store

/// `launchq token create|list|revoke`: admin API tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke admin API tokens (only a SHA-256 of each token is stored).",
        subcommands: [Create.self, List.self, Revoke.self])
}

extension TokenCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token. The secret is printed once, alone on the last line of standard output.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "A unique name for the token, e.g. the CI system or person using it.") var name: String
        @Option(help: "viewer (read-only) or admin (read and write).") var role: String

        func validate() throws {
            guard TokenRole(rawValue: role) != nil else {
                throw ValidationError("--role must be one of: \(TokenRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let role = TokenRole(rawValue: self.role) ?? .viewer
            let name = self.name
            let issued = try await database.withStore(command: "token create") { store in
                try await store.tokens.create(name: name, role: role)
            }
            print("created \(issued.token.role.rawValue) token '\(issued.token.name)'; copy the secret below now, it is not shown again:")
            print(issued.secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Include revoked tokens.") var all = false
        @Option(help: "Output format: text (a table) or json.") var format: OutputFormat = .text

        func run() async throws {
            let includeRevoked = all
            let tokens = try await database.withStore(command: "token list") { store in
                try await store.tokens.list(includeRevoked: includeRevoked)
            }
            if format == .json {
                print(try JSONOutput.string(Document(tokens: tokens.map(Document.Token.init))))
                return
            }
            let rows = tokens.map { token in
                [
                    token.name, token.role.rawValue, Self.format(token.createdAt), token.lastUsedAt.map(Self.format) ?? "never",
                    token.revokedAt.map { "revoked " + Self.format($0) } ?? "active",
                ]
            }
            printTable(header: ["NAME", "ROLE", "CREATED", "LAST USED", "STATUS"], rows: rows)
        }

        static func format(_ date: Date) -> String {
            date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke the active token with this name; it stops working at once.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The token's name.") var name: String

        func run() async throws {
            let name = self.name
            let token = try await database.withStore(command: "token revoke") { store in
                try await store.tokens.revoke(name: name)
            }
            print("revoked \(token.role.rawValue) token '\(token.name)'")
        }
    }
}

/// Prints left-aligned columns separated by two spaces.
private func printTable(header: [String], rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    for row in all {
        let cells = row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }
        print(cells.joined(separator: "  "))
    }
}
