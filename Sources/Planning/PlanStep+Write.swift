import Declarations
import JSON
import WandbModel

extension PlanStep {
    /// What apply sends to W&B for a step, typed: the executor switches on it, and ``desired`` is derived from it.
    public enum Write: Sendable, Codable, Equatable {
        /// `createUser`: a user by email, an instance admin or not.
        case createUser(email: String, admin: Bool)
        /// `createTeam`: a team, with its admin (an email or username) when declared.
        case createTeam(name: String, admin: String?)
        /// `createInvite`: a user (email or username) into a team, with a role.
        case invite(team: String, user: String, role: Team.Member.Role)
        /// `upsertModel`: a project of an entity, with its description when declared.
        case upsertProject(entity: String, name: String, description: String?)
        /// `upsertRunQueue` (or create/update on older servers): a queue as declared.
        case putRunQueue(queue: RunQueueDefinition)
        /// `deleteRunQueues`: the queue with this W&B id.
        case deleteRunQueue(id: String)
        /// `deleteInvite`: a member (by the member's id) or a pending invite (by its id) out of a team, as the SDK's
        /// `Member.delete()` does. The user account stays.
        case removeMember(team: String, id: String)

        /// The object as W&B should hold it after the write, in canonical form: what a plan shows as `desired`,
        /// what events record as `after`, and what the store hashes as the observed state of an applied object.
        /// `nil` for a deletion.
        public var desired: JSONValue? {
            switch self {
            case .createUser(let email, let admin):
                .object(["email": .string(email), "admin": .bool(admin)])
            case .createTeam(let name, let admin):
                .object(admin.map { ["name": .string(name), "admin": .string($0)] } ?? ["name": .string(name)])
            case .invite(let team, let user, let role):
                .object(["team": .string(team), "user": .string(user), "role": .string(role.rawValue)])
            case .upsertProject(let entity, let name, let description):
                .object(description.map { ["entity": .string(entity), "name": .string(name), "description": .string($0)] }
                    ?? ["entity": .string(entity), "name": .string(name)])
            case .putRunQueue(let definition):
                definition.canonicalState
            case .deleteRunQueue, .removeMember:
                nil
            }
        }
    }
}
