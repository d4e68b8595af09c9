extension Operations {
    /// The SDK's `CreateProject` (verbatim): `upsertModel`, used to create a project and,
    /// before any queue write, the entity's `model-registry` project. Idempotent (an upsert).
    /// Variables: `{"input": {"entityName": .., "name": ..}}`.
    public static let createProject = GraphQLOperation(
        name: "CreateProject",
        kind: .idempotentMutation,
        document: """

            mutation CreateProject($input: UpsertModelInput!) {
              result: upsertModel(input: $input) {
                project {
                  ...CreatedProjectFragment
                }
                model {
                  ...CreatedProjectFragment
                }
                inserted
              }
            }

            fragment CreatedProjectFragment on Project {
              id
              name
              entityName
              description
              access
              views
            }
            """
    )

    /// `wandb-core`'s `UpsertRunQueue` (verbatim wire text). Creates or updates a queue and its
    /// config by (entity, project, name): idempotent.
    public static let upsertRunQueue = GraphQLOperation(
        name: "UpsertRunQueue",
        kind: .idempotentMutation,
        document: """

            mutation UpsertRunQueue ($entityName: String!, $projectName: String!, $queueName: String!, $resourceType: String!, $resourceConfig: JSONString!, $templateVariables: JSONString, $prioritizationMode: RunQueuePrioritizationMode, $externalLinks: JSONString, $clientMutationId: String) {
            \tupsertRunQueue(input: {entityName:$entityName,projectName:$projectName,queueName:$queueName,resourceType:$resourceType,resourceConfig:$resourceConfig,templateVariables:$templateVariables,prioritizationMode:$prioritizationMode,externalLinks:$externalLinks,clientMutationId:$clientMutationId}) {
            \t\tsuccess
            \t\tconfigSchemaValidationErrors
            \t}
            }
            """
    )

    /// `wandb-core`'s `CreateDefaultResourceConfig` (verbatim wire text). Each call creates a
    /// new config: not idempotent.
    public static let createDefaultResourceConfig = GraphQLOperation(
        name: "CreateDefaultResourceConfig",
        kind: .mutation,
        document: """

            mutation CreateDefaultResourceConfig ($entityName: String!, $resource: String!, $config: JSONString!, $templateVariables: JSONString) {
            \tcreateDefaultResourceConfig(input: {entityName:$entityName,resource:$resource,config:$config,templateVariables:$templateVariables}) {
            \t\tdefaultResourceConfigID
            \t\tsuccess
            \t}
            }
            """
    )

    /// `wandb-core`'s `CreateRunQueue` (verbatim wire text). Not idempotent: a repeat fails or
    /// duplicates.
    public static let createRunQueue = GraphQLOperation(
        name: "CreateRunQueue",
        kind: .mutation,
        document: """

            mutation CreateRunQueue ($entity: String!, $project: String!, $queueName: String!, $access: RunQueueAccessType!, $prioritizationMode: RunQueuePrioritizationMode, $defaultResourceConfigID: ID) {
            \tcreateRunQueue(input: {entityName:$entity,projectName:$project,queueName:$queueName,access:$access,prioritizationMode:$prioritizationMode,defaultResourceConfigID:$defaultResourceConfigID}) {
            \t\tsuccess
            \t\tqueueID
            \t}
            }
            """
    )

    /// Deletes queues by id: the SDK's `DeleteRunQueue` with the id list as a variable
    /// (`deleteRunQueues(input: {queueIDs: ..})`). Idempotent.
    public static let deleteRunQueues = GraphQLOperation(
        name: "DeleteRunQueues",
        kind: .idempotentMutation,
        document: """
            mutation DeleteRunQueues($ids: [ID!]!) {
              deleteRunQueues(input: {queueIDs: $ids}) {
                success
                clientMutationId
              }
            }
            """
    )

    /// The SDK's `CreateTeam` (verbatim). Not idempotent.
    public static let createTeam = GraphQLOperation(
        name: "CreateTeam",
        kind: .mutation,
        document: """

            mutation CreateTeam($teamName: String!, $teamAdminUserName: String) {
              result: createTeam(
                input: {teamName: $teamName, teamAdminUserName: $teamAdminUserName}
              ) {
                entity {
                  id
                  name
                  available
                  photoUrl
                  limits
                }
              }
            }
            """
    )

    /// The SDK's `CreateInvite` (verbatim): add a user (by username or email) to a team.
    /// Not idempotent.
    public static let createInvite = GraphQLOperation(
        name: "CreateInvite",
        kind: .mutation,
        document: """

            mutation CreateInvite($entity: String!, $email: String, $username: String, $admin: Boolean) {
              result: createInvite(
                input: {entityName: $entity, email: $email, username: $username, admin: $admin}
              ) {
                invite {
                  id
                  name
                  email
                  createdAt
                  toUser {
                    name
                  }
                }
              }
            }
            """
    )

    /// The SDK's `DeleteInvite` (verbatim): remove a member (`id` = the member's id) from a team.
    public static let deleteInvite = GraphQLOperation(
        name: "DeleteInvite",
        kind: .mutation,
        document: """

            mutation DeleteInvite($id: String, $entity: String) {
              result: deleteInvite(input: {id: $id, entityName: $entity}) {
                success
              }
            }
            """
    )

    /// The SDK's `CreateUserFromAdmin` (verbatim). Not idempotent.
    public static let createUser = GraphQLOperation(
        name: "CreateUserFromAdmin",
        kind: .mutation,
        document: """

            mutation CreateUserFromAdmin($email: String!, $admin: Boolean) {
              result: createUser(input: {email: $email, admin: $admin}) {
                user {
                  ...UserInfoFragment
                }
              }
            }

            fragment UserInfoFragment on User {
              id
              name
              username
              email
              admin
            }
            """
    )
}
