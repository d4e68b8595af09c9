/// The GraphQL schema the sandbox serves, as SDL.
///
/// Reconstructed from `shared/wandb/schema-subset.graphql` (the subset of the closed W&B server schema that
/// `wandb.Api` administration calls use; read its provenance notes), plus `pushToRunQueue`. Clients can
/// validate their documents against it:
///
/// ```swift
/// let schema = try buildSchema(source: SandboxSchema.sdl)
/// let errors = validate(schema: schema, ast: try parse(source: Source(body: document)))
/// ```
public enum SandboxSchema {
    /// The schema in GraphQL SDL.
    public static let sdl: String = #"""
scalar DateTime
scalar JSON
scalar JSONString
scalar Int64

interface Node {
  id: ID!
}

# ------------------------------------------------------------------ root types ----

type Query {
  # [T] args; [G]/[P] nullable result
  viewer(entityName: String): User
  # [T]; used by Api.user()/Api.users() as users(query: $query)
  users(
    query: String
    usernames: [String!]
    ids: [ID!]
    before: String
    after: String
    first: Int
    last: Int
  ): UserConnection
  # [T]
  user(id: ID, userName: String): User
  # [T]; used by Team.load() and RunQueue default-resource-config lookup
  entity(name: String, login: Boolean): Entity
  # [T]; used by GetProject / GetRunQueueMetadata / GetRunQueueItems
  project(name: String, entityName: String): Project
  # [T]; used by Api.projects() (GetProjects)
  models(
    entityName: String
    before: String
    after: String
    first: Int
    last: Int
    batchSize: Int
    keysOnly: Boolean
    pageSize: Int
  ): ProjectConnection
  # [T]; not used by the SDK paths above (kept: sibling of models)
  projects(
    entityName: String
    anonymous: Boolean
    order: String
    before: String
    after: String
    first: Int
    last: Int
  ): ProjectConnection
  # [T]/[G]; not sent by the SDK for these operations (see wandb-wire.md)
  serverInfo: ServerInfo
}

type Mutation {
  # projects ---------------------------------------------------------- [T] + [P]
  upsertModel(input: UpsertModelInput!): UpsertModelPayload
  # launch run queues ------------------------------------------------- [T] + [G]
  createDefaultResourceConfig(input: CreateDefaultResourceConfigInput!): CreateDefaultResourceConfigPayload
  updateDefaultResourceConfig(input: UpdateDefaultResourceConfigInput!): UpdateDefaultResourceConfigPayload
  deleteDefaultResourceConfigs(input: DeleteDefaultResourceConfigsInput!): DeleteDefaultResourceConfigsPayload
  createRunQueue(input: CreateRunQueueInput!): CreateRunQueuePayload
  # [G]+[I]: present in current schema (SDK/wandb-core and terraform provider call it)
  upsertRunQueue(input: UpsertRunQueueInput!): UpsertRunQueuePayload
  deleteRunQueues(input: DeleteRunQueuesInput!): DeleteRunQueuesPayload
  # sandbox addition (exists on W&B): enqueue a run
  pushToRunQueue(input: PushToRunQueueInput!): PushToRunQueuePayload
  # sandbox addition (exists on W&B; what launch_add sends first, wandb/sdk/launch/api.py): enqueue by name
  pushToRunQueueByName(input: PushToRunQueueByNameInput!): PushToRunQueueByNamePayload
  # teams / entities -------------------------------------------------------- [T]
  createTeam(input: CreateTeamInput!): CreateTeamPayload
  createEntity(input: CreateEntityInput!): CreateEntityPayload
  createInvite(input: CreateInviteInput!): CreateInvitePayload
  deleteInvite(input: DeleteInviteInput!): DeleteInvitePayload
  createServiceAccount(input: CreateServiceAccountInput!): CreateServiceAccountPayload
  # users / api keys -------------------------------------------------------- [T]
  createUser(input: CreateUserInput!): CreateUserPayload
  generateApiKey(input: GenerateApiKeyInput!): GenerateApiKeyPayload
  deleteApiKey(input: DeleteApiKeyInput!): DeleteApiKeyPayload
}

# --------------------------------------------------------------------- paging ----

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

# ------------------------------------------------------------------- users ----

# [P] UserFragment/UserInfoFragment nullability; [T] args and extra fields
type User implements Node {
  id: ID!
  name: String!
  username: String
  email: String
  admin: Boolean
  flags: JSONString
  entity: String
  deletedAt: DateTime
  accountType: UserAccountType
  createdAt: DateTime!
  photoUrl: String
  apiKeys(
    before: String
    after: String
    first: Int
    last: Int
    batchSize: Int
    keysOnly: Boolean
    pageSize: Int
  ): ApiKeyConnection
  teams(before: String, after: String, first: Int, last: Int): EntityConnection
}

enum UserAccountType {
  ANONYMOUS
  SERVICE
  USER
  VIEWER
}

type UserConnection {
  edges: [UserEdge!]!
  pageInfo: PageInfo!
}

type UserEdge {
  cursor: String!
  node: User
}

# [P] ApiKeyFragment. The real type also has ips, rateLimit, user ([T]).
# NOTE (observed, wandb 0.31.0): User.generate_api_key() returns ApiKey.name as
# "the generated API key (the full secret)", i.e. the key's name IS the secret.
type ApiKey {
  id: ID!
  name: String!
  description: String
}

type ApiKeyConnection {
  edges: [ApiKeyEdge!]!
  pageInfo: PageInfo!
}

type ApiKeyEdge {
  cursor: String!
  node: ApiKey
}

# ------------------------------------------------------ entities and teams ----

# [P] GetTeamEntity / CreateTeam nullability; [T] args and extras
type Entity implements Node {
  id: ID!
  name: String!
  available: Boolean
  photoUrl: String
  readOnly: Boolean
  readOnlyAdmin: Boolean!
  isTeam: Boolean!
  # [P] present in current schema (not in [T]); value set not verified
  entityType: String
  privateOnly: Boolean!
  storageBytes: Int64!
  codeSavingEnabled: Boolean!
  defaultAccess: String!
  isPaid: Boolean
  limits: JSONString
  members: [Member!]!
  memberCount: Int!
  createdAt: DateTime!
  updatedAt: DateTime
  defaultResourceConfig(id: ID!): DefaultResourceConfig
  defaultResourceConfigs(before: String, after: String, first: Int, last: Int): DefaultResourceConfigConnection
  projects(before: String, after: String, first: Int, last: Int, order: String): ProjectConnection
}

type EntityConnection {
  edges: [EntityEdge!]!
}

type EntityEdge {
  cursor: String!
  node: Entity
}

# [P] GetTeamEntityEntityMembers + [T]. Member.id is a nullable String (not ID) and is
# the *user* id that Member.delete() passes to deleteInvite(input: {id: ...}).
type Member {
  id: String
  admin: Boolean
  pending: Boolean
  email: String
  username: String
  name: String!
  photoUrl: String
  accountType: String
  apiKey: String
  role: String
}

# [P] CreateInviteResultInvite + [T]
type Invite {
  id: ID!
  name: String!
  email: String
  createdAt: DateTime
  updatedAt: DateTime
  expiresAt: DateTime
  accepted: Boolean
  toUser: User
  fromUser: User
  entity: Entity
}

# ---------------------------------------------------------------- projects ----

# [P] ProjectFragment / CreatedProjectFragment + [T]
type Project implements Node {
  id: ID!
  name: String!
  entityName: String!
  entity: Entity!
  createdAt: DateTime!
  updatedAt: DateTime
  isBenchmark: Boolean!
  description: String
  access: String
  views: JSONString
  readOnly: Boolean
  user: User
  runQueue(name: String!): RunQueue
  runQueues: [RunQueue!]!
}

type ProjectConnection {
  edges: [ProjectEdge!]!
  pageInfo: PageInfo!
}

type ProjectEdge {
  cursor: String!
  node: Project
}

# ------------------------------------------------------- launch run queues ----

# [T] base shape; [G]/[I] additions marked
type RunQueue {
  id: ID!
  name: String!
  access: RunQueueAccessType!
  createdAt: DateTime!
  updatedAt: DateTime
  createdBy: Int
  defaultResourceConfigID: ID
  # [I] (terraform provider selects it; Go struct `string`)
  entityName: String!
  # [I] (terraform provider selects it as an object)
  defaultResourceConfig: DefaultResourceConfig
  # [G] enum type; [I] nullability: Python RunQueue.prioritization_mode asserts non-null
  prioritizationMode: RunQueuePrioritizationMode!
  # [I] JSON *object* {"links":[{"label":..,"url":..}]} (terraform unmarshals it into a
  # struct; the Python SDK returns it unchanged). Nullability unknown.
  externalLinks: JSON
  runQueueItem(id: ID!): RunQueueItem
  runQueueItems(before: String, after: String, first: Int, last: Int): RunQueueItemConnection!
}

# [G] enum values (gql_gen.go RunQueueAccessType*)
enum RunQueueAccessType {
  PROJECT
  USER
}

# [G] enum values (gql_gen.go RunQueuePrioritizationMode*)
enum RunQueuePrioritizationMode {
  DISABLED
  V0
}

# [T] (the current schema very likely has more fields, e.g. priority / error info --
# not verified, not listed)
type RunQueueItem {
  id: ID!
  createdAt: DateTime!
  updatedAt: DateTime
  runSpec: JSON!
  state: RunQueueItemState!
  associatedRunId: String
  launchAgentId: ID
}

enum RunQueueItemState {
  CLAIMED
  FAILED
  LEASED
  PENDING
}

type RunQueueItemConnection {
  edges: [RunQueueItemEdge!]!
  pageInfo: PageInfo!
}

type RunQueueItemEdge {
  cursor: String!
  node: RunQueueItem!
}

# [T] base; templateVariables [I] (SDK selects `templateVariables { name schema }`,
# terraform selects `templateVariables { name description schema }`; the SDK does
# json.loads(tv["schema"]) so schema is a JSON-encoded string).
type DefaultResourceConfig {
  id: ID!
  resource: String!
  # JSON object as stored: {"resource_args": {"<resource>": {...}}}
  config: JSON
  templateVariables: [TemplateVariable!]!
  scope: DefaultResourceConfigScope!
  createdAt: DateTime!
  updatedAt: DateTime
}

# [I] reconstructed from SDK/terraform usage
type TemplateVariable {
  name: String!
  description: String
  schema: JSONString!
}

type DefaultResourceConfigScope {
  ID: Int!
  Type: DefaultResourceConfigScopeType!
}

enum DefaultResourceConfigScopeType {
  ENTITY
  PROJECT
}

type DefaultResourceConfigConnection {
  edges: [DefaultResourceConfigEdge!]!
  pageInfo: PageInfo!
}

type DefaultResourceConfigEdge {
  cursor: String!
  node: DefaultResourceConfig!
}

# ------------------------------------------------------------- server info ----

# [T] + [G]; trimmed. features: [P] sdk/internal/_generated/server_features_query.py
type ServerInfo {
  cliVersionInfo: JSON!
  latestLocalVersionInfo: LocalVersionInfo
  features: [ServerFeature]!
}

type LocalVersionInfo {
  outOfDate: Boolean!
  latestVersionString: String!
  versionOnThisInstanceString: String!
}

type ServerFeature {
  name: String!
  isEnabled: Boolean!
}

# ------------------------------------------------------------------ inputs ----

# [P] VERBATIM field set/types from wandb 0.31.0 wandb/apis/_generated/input_types.py
# (client-side pydantic constraints: name maxLength 128, dockerImage maxLength 512,
# repo maxLength 256). The SDK sends only {entityName, name} (exclude_none dump).
input UpsertModelInput {
  access: String
  allowAllArtifactTypesInRegistry: Boolean
  artifactTypes: [ArtifactTypeInput!]
  clientMutationId: String
  description: String
  dockerImage: String
  entityName: String
  framework: String
  icon: ProjectIconInput
  id: String
  isBenchmark: Boolean
  isPublished: Boolean
  name: String
  owner: ID
  rateLimits: RateLimitsInput
  repo: String
  views: JSONString
}

# [P] (client-side: name maxLength 128, pattern ^[-\w]+([ ]*[-.\w]+)*$)
input ArtifactTypeInput {
  description: String
  name: String!
}

# [P]
input ProjectIconInput {
  color: String!
  name: String!
}

# [P] (python int -> Int or Int64 in the SDL; Int chosen, unverified)
input RateLimitsInput {
  createArtifacts: Int
  createArtifactsRequestCount: Int
  createArtifactsTimeWindow: Int
  filestreamCount: Float
  filestreamPerRunCount: Float
  filestreamSize: Int
  graphql: Int
  runUpdateCount: Float
  sdkGraphql: Int
  sdkGraphqlQuerySeconds: Float
}

# [T] + templateVariables [G] (variable $templateVariables: JSONString is nullable)
input CreateDefaultResourceConfigInput {
  clientMutationId: String
  entityName: String!
  projectName: String
  resource: String!
  config: JSONString!
  templateVariables: JSONString
}

# [T] (newer servers may also accept templateVariables here -- NOT verified, omitted)
input UpdateDefaultResourceConfigInput {
  clientMutationId: String
  defaultResourceConfigID: ID!
  entityName: String
  projectName: String
  resource: String
  config: JSONString!
}

# [T]
input DeleteDefaultResourceConfigsInput {
  clientMutationId: String
  defaultResourceConfigIDs: [ID!]!
}

# [T] + prioritizationMode [G]
input CreateRunQueueInput {
  clientMutationId: String
  entityName: String!
  projectName: String!
  queueName: String!
  access: RunQueueAccessType!
  defaultResourceConfigID: ID
  prioritizationMode: RunQueuePrioritizationMode
}

# [G]/[I] reconstructed from the UpsertRunQueue operation's variable types (nullable
# variables => nullable fields; non-null variables => assumed non-null fields)
input UpsertRunQueueInput {
  clientMutationId: String
  entityName: String!
  projectName: String!
  queueName: String!
  resourceType: String!
  resourceConfig: JSONString!
  templateVariables: JSONString
  prioritizationMode: RunQueuePrioritizationMode
  externalLinks: JSONString
}

# [T] + templateVariableValues/priority [G]
input PushToRunQueueInput {
  clientMutationId: String
  queueID: ID!
  runSpec: JSONString!
  existingRunId: String
  templateVariableValues: JSONString
  priority: Int
}

# [T]
input DeleteRunQueuesInput {
  clientMutationId: String
  queueIDs: [ID!]!
}

# [T]
input CreateTeamInput {
  clientMutationId: String
  teamName: String!
  teamAdminUserName: String
  organizationId: String
  defaultAccess: String
  storageBucketInfo: StorageBucketInfoInput
}

# [T]
input StorageBucketInfoInput {
  name: String!
  provider: CloudProvider!
  kmsKeyID: String
  awsExternalID: String
  organizationID: ID
}

# [T] (current servers may list more providers -- not verified)
enum CloudProvider {
  AWS
  AZURE
  GCP
  MINIO
}

# [T]
input CreateEntityInput {
  clientMutationId: String
  name: String!
  defaultAccess: String
  defaultFramework: String
  invited: String
}

# [T]
input CreateInviteInput {
  clientMutationId: String
  entityName: String
  email: String
  username: String
  admin: Boolean
  role: String
  accountType: String
  addSeat: Boolean
}

# [T]
input DeleteInviteInput {
  clientMutationId: String
  id: String
  entityName: String
}

# [T]
input CreateServiceAccountInput {
  clientMutationId: String
  entityName: String
  description: String
}

# [T]
input CreateUserInput {
  clientMutationId: String
  email: String!
  admin: Boolean
  accountType: String
  password: String
}

# [T]
input GenerateApiKeyInput {
  clientMutationId: String
  description: String
}

# [T]
input DeleteApiKeyInput {
  clientMutationId: String
  id: String
}

# ---------------------------------------------------------------- payloads ----

# [T] + [P]
type UpsertModelPayload {
  clientMutationId: String
  entityName: String
  inserted: Boolean
  model: Project
  project: Project
}

# [T] + [G] (both fields non-null in genqlient output)
type CreateDefaultResourceConfigPayload {
  clientMutationId: String
  defaultResourceConfigID: ID!
  success: Boolean!
}

# [T]
type UpdateDefaultResourceConfigPayload {
  defaultResourceConfigID: ID!
  success: Boolean!
}

# [T]
type DeleteDefaultResourceConfigsPayload {
  clientMutationId: String
  numAffected: Int64!
  success: Boolean!
}

# [T] + [G] (*bool, *string)
type CreateRunQueuePayload {
  clientMutationId: String
  success: Boolean
  queueID: ID
}

# [G]: success *bool; configSchemaValidationErrors []string (elements non-null; list
# nullability not determinable from genqlient -- nullable chosen). clientMutationId [I].
type UpsertRunQueuePayload {
  clientMutationId: String
  success: Boolean
  configSchemaValidationErrors: [String!]
}

# [G]: the variables LaunchApi.push_to_run_queue_by_name sends (wandb/sdk/launch/api.py)
input PushToRunQueueByNameInput {
  clientMutationId: String
  entityName: String!
  projectName: String!
  queueName: String!
  runSpec: JSONString!
  templateVariableValues: JSONString
  priority: Int
}

# [G]: the SDK selects runQueueItemId and runSpec, and json.loads the runSpec (a JSON string)
type PushToRunQueueByNamePayload {
  clientMutationId: String
  runQueueItemId: ID!
  runSpec: JSONString
}

# [T]
type PushToRunQueuePayload {
  clientMutationId: String
  runQueueItemId: ID!
  runSpec: JSON
}

# [T]
type DeleteRunQueuesPayload {
  clientMutationId: String
  success: Boolean
}

# [T] + [P]
type CreateTeamPayload {
  clientMutationId: String
  entity: Entity
}

# [T]
type CreateEntityPayload {
  clientMutationId: String
  entity: Entity
  apiKey: ApiKey
}

# [T] + [P]
type CreateInvitePayload {
  clientMutationId: String
  invite: Invite
  entity: Entity
  success: Boolean!
  remainingSeats: Int
  remainingViewOnlySeats: Int
}

# [T] + [P]
type DeleteInvitePayload {
  clientMutationId: String
  success: Boolean
}

# [T] + [P]
type CreateServiceAccountPayload {
  clientMutationId: String
  user: User
}

# [T] + [P]
type CreateUserPayload {
  clientMutationId: String
  user: User
}

# [T] + [P]
type GenerateApiKeyPayload {
  clientMutationId: String
  apiKey: ApiKey
}

# [T] + [P]
type DeleteApiKeyPayload {
  clientMutationId: String
  success: Boolean
}
"""#
}
