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
            viewer, getViewer, searchUsers, readEntityProjects,
            createProject, upsertRunQueue, createDefaultResourceConfig, createRunQueue,
            deleteRunQueues, createTeam, createInvite, deleteInvite, createUser, runQueueItems,
        ]
        for parts in [EntityReadParts.all, .runQueues, .members, .projects, [.runQueues, .members], [.all, .backlog]] {
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

    /// The SDK's `GetViewer` (`Api.viewer`; its `UserFragment` without API keys, as ``searchUsers``): the key's
    /// user with the instance-admin flag.
    public static let getViewer = GraphQLOperation(
        name: "GetViewer",
        kind: .query,
        document: """

            query GetViewer {
              viewer {
                ...UserFragment
              }
            }

            \(userFragments)
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
            \(projectPageSelection(indent: 4))
              }
            }
            """
    )

    /// Reads `count` entities in one request. For entity `i` (variable `$e<i>`) the answer has `q<i>` (the
    /// `model-registry` project's run queues with their configs and template variables, and with
    /// ``EntityReadParts/backlog`` each queue's first 100 items), `m<i>` (the entity and its members) and `p<i>`
    /// (the first page of its projects, `$perPage` long), as `parts` asks.
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
                    \(runQueueSelection(indent: 6, backlog: parts.contains(.backlog)))
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
                    \(projectPageSelection(indent: 4))
                      }

                    """
            }
        }
        fragments.append(parts.contains(.members) ? entityMembersFragment : entityFragment)
        return GraphQLOperation(
            name: "ReadEntities",
            kind: .query,
            document: "query ReadEntities(\(variables.joined(separator: ", "))) {\n\(fields)}\n\n"
                + fragments.joined(separator: "\n\n") + "\n"
        )
    }

    // MARK: - Fragments

    /// A queue's fields, inlined: no real client names the type `RunQueue` in a fragment (only an old schema
    /// shows the name), so launchq does not either. With `backlog`, also the queue's first ``QueueBacklog/pageSize`` items with their push time and state (the
    /// SDK's `GetRunQueueItems` connection and arguments, plus `createdAt` and `state`).
    static func runQueueSelection(indent: Int, backlog: Bool = false) -> String {
        indented(
            """
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
            """ + (backlog ? "\n" + backlogSelection : ""), by: indent)
    }

    /// The items a backlog read lists per queue (``EntityReadParts/backlog``).
    static let backlogSelection = """
        runQueueItems(first: \(QueueBacklog.pageSize)) {
          edges {
            node {
              id
              createdAt
              state
            }
          }
        }
        """

    /// A project page's fields, inlined under `models(...)` as the SDK inlines its connections (the type name
    /// `ProjectConnection` is evidenced only by an old schema).
    static func projectPageSelection(indent: Int) -> String {
        indented(
            """
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
            """, by: indent)
    }

    private static func indented(_ text: String, by count: Int) -> String {
        let padding = String(repeating: " ", count: count)
        return text.split(separator: "\n").map { padding + $0 }.joined(separator: "\n")
    }

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
