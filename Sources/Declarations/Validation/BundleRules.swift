/// Rules across documents: one identity per object, and references to users and entities.
///
/// The rules read a light ``Summary`` of each declaration (its kind, identity, place and the names it
/// refers to), so a bundle's declarations need not be kept until its end (``BundleValidation``).
enum BundleRules {
    /// What the rules need of one declaration.
    struct Summary: Sendable {
        var kind: Declaration.Kind
        /// ``Declaration/identity``: a user's is the lower-cased email, a team's its name.
        var identity: String
        var location: SourceLocation
        /// A team's admin.
        var admin: String?
        /// A team's members' users, in order.
        var members: [String] = []
        /// A queue's or a project's entity.
        var entity: String?

        init(_ declaration: Declaration) {
            kind = declaration.kind
            identity = declaration.identity
            location = declaration.location
            switch declaration.object {
            case .team(let team):
                admin = team.admin
                members = team.members.map(\.user)
            case .runQueue(let queue): entity = queue.entity
            case .project(let project): entity = project.entity
            case .user, .policy: break
            }
        }
    }

    static func check(_ declarations: [Summary], sink: inout DiagnosticSink) {
        var firstPlace: [String: SourceLocation] = [:]
        for declaration in declarations {
            let key = "\(declaration.kind.rawValue) \(declaration.identity)"
            if let first = firstPlace[key] {
                sink.error(
                    .identityDuplicate, "\(declaration.kind.rawValue) \"\(declaration.identity)\" is declared twice: here and at \(first)",
                    at: declaration.location, path: .root)
            } else {
                firstPlace[key] = declaration.location
            }
        }

        let users = Set(declarations.lazy.filter { $0.kind == .user }.map(\.identity))
        let teams = Set(declarations.lazy.filter { $0.kind == .team }.map(\.identity))
        for declaration in declarations {
            if let admin = declaration.admin, !users.contains(admin.lowercased()) {
                sink.warning(
                    .referenceUser, "team admin \"\(admin)\" is not declared as a User here; at plan time it must exist on W&B",
                    at: declaration.location, path: JSONPointer(["admin"]))
            }
            for (index, member) in declaration.members.enumerated() where !users.contains(member.lowercased()) {
                sink.warning(
                    .referenceUser, "member \"\(member)\" is not declared as a User here; at plan time it must exist on W&B",
                    at: declaration.location, path: JSONPointer(["members", String(index), "user"]))
            }
            if let entity = declaration.entity, !teams.contains(entity) {
                sink.warning(
                    .referenceEntity, "entity \"\(entity)\" is not declared as a Team here; at plan time it must exist on W&B",
                    at: declaration.location, path: JSONPointer(["entity"]))
            }
        }
    }
}
