import AdminServer
import ArgumentParser
import AsyncHTTPClient
import Foundation
import JSON
import NIOCore
import NIOHTTP1
import Planning

/// `launchq plan --server URL --token-file F`: the plan made by a running `launchq serve` (`POST /v1/plan`) instead
/// of from here; W&B and the planner settings are the server's.
struct PlanServerOptions: ParsableArguments {
    @Option(
        name: .customLong("server"),
        help: ArgumentHelp("Ask this launchq serve to plan (POST /v1/plan) instead of reading W&B from here.", valueName: "url"))
    var server: String?

    @Option(
        name: .customLong("token-file"),
        help: ArgumentHelp("With --server: a file holding a viewer (or admin) token; never printed.", valueName: "path"))
    var tokenFile: String?

    func validate() throws {
        if server != nil, tokenFile == nil { throw ValidationError("--server needs --token-file (a file holding a viewer token)") }
        if server == nil, tokenFile != nil { throw ValidationError("--token-file is only used with --server") }
    }
}

/// The remote half of `launchq plan`: reads the declarations like a local plan, sends them as a bundle, and hands
/// back the server's plan.
enum RemotePlan {
    /// A failure talking to the server; the message never holds the token.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The declaration files at `path` (a folder, read as `serve --source DIR` reads it, or one file) as
    /// `POST /v1/plan`'s body.
    static func bundle(at path: String) throws -> JSONValue {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure(description: "\(path) does not exist")
        }
        let files: [(path: String, contents: [UInt8])]
        if isDirectory.boolValue {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            files = try DirectorySource(path: absolute).read().files
        } else {
            guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read \(path)") }
            files = [(URL(fileURLWithPath: path).lastPathComponent, [UInt8](data))]
        }
        return .object([
            "files": .array(files.map { .object(["path": .string($0.path), "content": .string(String(decoding: $0.contents, as: UTF8.self))]) }),
        ])
    }

    /// Sends `bundle` to `server`'s `POST /v1/plan` with the token in `tokenFile`; the plan, or a ``Failure`` with
    /// the server's error (and its diagnostics).
    static func plan(bundle: JSONValue, server: String, tokenFile: String) async throws -> (Plan, String) {
        guard let data = FileManager.default.contents(atPath: tokenFile) else { throw Failure(description: "cannot read the token file \(tokenFile)") }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw Failure(description: "the token file \(tokenFile) is empty") }
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw Failure(description: "--server must be an http:// or https:// URL")
        }
        var request = HTTPClientRequest(url: base + "/v1/plan")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: CanonicalJSON.string(bundle)))
        let status: Int
        let body: ByteBuffer
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        } catch {
            throw Failure(description: "could not reach \(base): \(error)")
        }
        let answer = try? JSONParser.parse(Array(body.readableBytesView))
        guard status == 200, let answer, let planJSON = answer["plan"], let text = answer["text"]?.string else {
            var message = "the server answered \(status)"
            if let error = answer?["error"] {
                message += " \(error["code"]?.string ?? "error"): \(error["message"]?.string ?? "")"
                for diagnostic in error["details"]?["diagnostics"]?.array ?? [] {
                    let place = [diagnostic["file"]?.string, diagnostic["line"].flatMap(lineText), diagnostic["column"].flatMap(lineText)]
                        .compactMap { $0 }.joined(separator: ":")
                    message += "\n  \(place.isEmpty ? "" : place + ": ")\(diagnostic["severity"]?.string ?? ""): \(diagnostic["message"]?.string ?? "")"
                }
            }
            throw Failure(description: message)
        }
        let plan = try JSONDecoder().decode(Plan.self, from: Data(CanonicalJSON.string(planJSON).utf8))
        return (plan, text)
    }

    private static func lineText(_ value: JSONValue) -> String? {
        if case .integer(let number) = value { return String(number) }
        return nil
    }
}
