/// Rules across documents: one identity per object, and references to users and entities.
enum BundleRules {
    static func check(_ declarations: [Declaration], sink: inout DiagnosticSink) {
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

        let users = Set(declarations.compactMap { if case .user(let user) = $0.object { user.email.lowercased() } else { nil } })
        let teams = Set(declarations.compactMap { if case .team(let team) = $0.object { team.name } else { nil } })
        for declaration in declarations {
            switch declaration.object {
            case .team(let team):
                if let admin = team.admin, !users.contains(admin.lowercased()) {
                    sink.warning(
                        .referenceUser, "team admin \"\(admin)\" is not declared as a User here; at plan time it must exist on W&B",
                        at: declaration.location, path: JSONPointer(["admin"]))
                }
                for (index, member) in team.members.enumerated() where !users.contains(member.user.lowercased()) {
                    sink.warning(
                        .referenceUser, "member \"\(member.user)\" is not declared as a User here; at plan time it must exist on W&B",
                        at: declaration.location, path: JSONPointer(["members", String(index), "user"]))
                }
            case .runQueue(let queue) where !teams.contains(queue.entity):
                sink.warning(
                    .referenceEntity, "entity \"\(queue.entity)\" is not declared as a Team here; at plan time it must exist on W&B",
                    at: declaration.location, path: JSONPointer(["entity"]))
            case .project(let project) where !teams.contains(project.entity):
                sink.warning(
                    .referenceEntity, "entity \"\(project.entity)\" is not declared as a Team here; at plan time it must exist on W&B",
                    at: declaration.location, path: JSONPointer(["entity"]))
            default:
                break
            }
        }
    }
}
