/// Reading the small kinds: User, Team, Project.
extension Validator {
    static let header = ["apiVersion", "kind"]

    static func readUser(_ root: Node, sink: inout DiagnosticSink) -> User? {
        guard let fields = FieldReader(root, path: .root, known: header + ["email", "admin"], what: "a User", sink: &sink) else { return nil }
        let admin = fields.bool("admin", sink: &sink) ?? false
        guard let email = fields.string("email", required: true, sink: &sink), let node = fields.value("email") else { return nil }
        NameRules.checkEmail(email, node: node, path: JSONPointer(["email"]), sink: &sink)
        return User(email: email, admin: admin)
    }

    static func readProject(_ root: Node, sink: inout DiagnosticSink) -> Project? {
        guard let fields = FieldReader(root, path: .root, known: header + ["entity", "name", "description"], what: "a Project", sink: &sink)
        else { return nil }
        let entity = fields.string("entity", required: true, sink: &sink)
        let name = fields.string("name", required: true, sink: &sink)
        let description = fields.string("description", required: false, sink: &sink)
        guard let entity, let name else { return nil }
        NameRules.checkEntityName(entity, what: "entity", node: fields.value("entity")!, path: JSONPointer(["entity"]), sink: &sink)
        NameRules.checkEntityName(name, what: "project name", node: fields.value("name")!, path: JSONPointer(["name"]), sink: &sink)
        return Project(entity: entity, name: name, description: description)
    }

    static func readTeam(_ root: Node, sink: inout DiagnosticSink) -> Team? {
        guard let fields = FieldReader(root, path: .root, known: header + ["name", "admin", "members"], what: "a Team", sink: &sink)
        else { return nil }
        let name = fields.string("name", required: true, sink: &sink)
        let admin = fields.string("admin", required: false, sink: &sink)
        var members: [Team.Member] = []
        if let list = fields.value("members") {
            let path = JSONPointer(["members"])
            if case .sequence(let items) = list.value {
                for (index, item) in items.enumerated() {
                    let itemPath = path.appending(index)
                    guard let member = FieldReader(item, path: itemPath, known: ["user", "role"], what: "a team member", sink: &sink),
                        let user = member.string("user", required: true, sink: &sink)
                    else { continue }
                    let role = member.choice("role", as: Team.Member.Role.self, required: false, sink: &sink) ?? .member
                    members.append(Team.Member(user: user, role: role))
                }
            } else {
                sink.error(.fieldType, "\"members\" must be a list, not a \(list.typeName)", at: list.location, path: path)
            }
        }
        guard let name else { return nil }
        NameRules.checkEntityName(name, what: "team name", node: fields.value("name")!, path: JSONPointer(["name"]), sink: &sink)
        return Team(name: name, admin: admin, members: members)
    }
}
