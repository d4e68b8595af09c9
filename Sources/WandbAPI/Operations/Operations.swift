import WandbModel

/// Every GraphQL document the client sends, in one place.
///
/// Single-object documents are the official W&B SDK's (wandb 0.31.0, see
/// `shared/wandb/wire.md` §3), byte for byte where the SDK has one, so a real W&B server
/// accepts them. Batched reads (``readEntities(count:parts:)``) are built from aliases.
public enum Operations {
    /// The project every Launch queue lives in.
    public static let launchProject = "model-registry"

    /// Every document the client can send; batched reads at representative sizes.
    /// A test validates each against the sandbox schema.
    public static var all: [GraphQLOperation] {
        var operations = [
            viewer, probeServerCapabilities, searchUsers, readEntityProjects,
            createProject, upsertRunQueue, createDefaultResourceConfig, createRunQueue, updateDefaultResourceConfig,
            deleteRunQueues, createTeam, createInvite, deleteInvite, createUser,
        ]
        for parts in [EntityReadParts.all, .runQueues, .members, .projects, [.runQueues, .members]] {
            operations.append(readEntities(count: 1, parts: parts))
            operations.append(readEntities(count: 3, parts: parts))
        }
        operations.append(searchUsersBatch(count: 1))
        operations.append(searchUsersBatch(count: 4))
        return operations
    }

    // MARK: - Reads

    /// The SDK's authentication check (`wandb-core` `Viewer`, verbatim).
    public static let viewer = GraphQLOperation(
        name: "Viewer",
        kind: .query,
        document: """

            query Viewer {
            \tviewer {
            \t\tid
            \t\tentity
            \t\tusername
            \t\temail
            \t\tflags
            \t\tteams {
            \t\t\tedges {
            \t\t\t\tnode {
            \t\t\t\t\tname
            \t\t\t\t}
            \t\t\t}
            \t\t}
            \t}
            }
            """
    )

    /// One introspection probe: which mutations the server has (old SDKs sent the same
    /// `__type(name: "Mutation") { fields { name } }` before choosing the queue write path).
    public static let probeServerCapabilities = GraphQLOperation(
        name: "ProbeServerCapabilities",
        kind: .query,
        document: """
            query ProbeServerCapabilities {
              MutationType: __type(name: "Mutation") {
                fields {
                  name
                }
              }
            }
            """
    )

    /// The SDK's `SearchUsers` (its arguments; the fragment leaves out API keys): users whose
    /// username or email matches `$query`.
    public static let searchUsers = GraphQLOperation(
        name: "SearchUsers",
        kind: .query,
        document: """

            query SearchUsers($query: String) {
              users(query: $query) {
                edges {
                  node {
                    ...UserFragment
                  }
                }
              }
            }

            \(userFragments)
            """
    )

    /// Several user searches in one request: `u0: users(query: $u0) ...`.
    public static func searchUsersBatch(count: Int) -> GraphQLOperation {
        precondition(count > 0, "a batch needs at least one search")
        let variables = (0..<count).map { "$u\($0): String" }.joined(separator: ", ")
        var fields = ""
        for index in 0..<count {
            fields += """
                  u\(index): users(query: $u\(index)) {
                    edges {
                      node {
                        ...UserFragment
                      }
                    }
                  }

                """
        }
        return GraphQLOperation(
            name: "SearchUsersBatch",
            kind: .query,
            document: "query SearchUsersBatch(\(variables)) {\n\(fields)}\n\n\(userFragments)\n"
        )
    }

    /// The next page of one entity's projects (the first page comes with ``readEntities(count:parts:)``).
    /// Arguments as the SDK's `GetProjects`: `models(entityName:, after:, first:)`.
    public static let readEntityProjects = GraphQLOperation(
        name: "ReadEntityProjects",
        kind: .query,
        document: """
            query ReadEntityProjects($entity: String, $cursor: String, $perPage: Int = 50) {
              models(entityName: $entity, after: $cursor, first: $perPage) {
                ...ProjectPageFragment
              }
            }

            \(projectPageFragments)
            """
    )

    /// Reads `count` entities in one request. For entity `i` (variable `$e<i>`) the answer
    /// has `q<i>` (the `model-registry` project's run queues with their configs and
    /// template variables), `m<i>` (the entity and its members) and `p<i>` (the first page
    /// of its projects, `$perPage` long), as `parts` asks.
    public static func readEntities(count: Int, parts: EntityReadParts) -> GraphQLOperation {
        precondition(count > 0, "a batch needs at least one entity")
        precondition(!parts.isEmpty, "a batch must read something")
        var variables = (0..<count).map { "$e\($0): String!" }
        if parts.contains(.projects) { variables.append("$perPage: Int = 50") }
        var fields = ""
        var fragments: [String] = []
        for index in 0..<count {
            if parts.contains(.runQueues) {
                fields += """
                      q\(index): project(name: "\(launchProject)", entityName: $e\(index)) {
                        runQueues {
                          ...RunQueueFragment
                        }
                      }

                    """
            }
            // The entity itself tells whether it exists, even when members are not wanted.
            fields += """
                  m\(index): entity(name: $e\(index)) {
                    ...\(parts.contains(.members) ? "EntityMembersFragment" : "EntityFragment")
                  }

                """
            if parts.contains(.projects) {
                fields += """
                      p\(index): models(entityName: $e\(index), first: $perPage) {
                        ...ProjectPageFragment
                      }

                    """
            }
        }
        if parts.contains(.runQueues) { fragments.append(runQueueFragment) }
        fragments.append(parts.contains(.members) ? entityMembersFragment : entityFragment)
        if parts.contains(.projects) { fragments.append(projectPageFragments) }
        return GraphQLOperation(
            name: "ReadEntities",
            kind: .query,
            document: "query ReadEntities(\(variables.joined(separator: ", "))) {\n\(fields)}\n\n"
                + fragments.joined(separator: "\n\n") + "\n"
        )
    }

    // MARK: - Fragments

    static let runQueueFragment = """
        fragment RunQueueFragment on RunQueue {
          id
          name
          entityName
          access
          prioritizationMode
          externalLinks
          defaultResourceConfigID
          defaultResourceConfig {
            id
            resource
            config
            templateVariables {
              name
              description
              schema
            }
          }
        }
        """

    static let entityFragment = """
        fragment EntityFragment on Entity {
          id
          name
          isTeam
        }
        """

    static let entityMembersFragment = """
        fragment EntityMembersFragment on Entity {
          id
          name
          isTeam
          members {
            id
            admin
            pending
            email
            username
            name
            accountType
            role
          }
        }
        """

    static let projectPageFragments = """
        fragment ProjectPageFragment on ProjectConnection {
          pageInfo {
            endCursor
            hasNextPage
          }
          edges {
            node {
              id
              name
              entityName
              description
              access
              createdAt
            }
          }
        }
        """

    /// The user fields the client reads: the SDK's `UserFragment` without `apiKeys` (an API
    /// key's name is its secret; the client never asks for them).
    static let userFragments = """
        fragment UserFragment on User {
          id
          name
          username
          email
          admin
          entity
          deletedAt
          teams {
            edges {
              node {
                name
              }
            }
          }
        }
        """
}
