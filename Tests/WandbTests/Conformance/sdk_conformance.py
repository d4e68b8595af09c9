"""Drive the launchq W&B sandbox with the official wandb SDK (0.31.0) and check what it reads back.

Run by Tests/WandbTests/SandboxConformanceTests.swift with:
  WANDB_BASE_URL   the sandbox, e.g. http://127.0.0.1:PORT
  WANDB_API_KEY    the sandbox's instance-admin key
  (plus WANDB_X_GRAPHQL_RETRY_MAX, WANDB_ERROR_REPORTING=false and a temporary HOME/WANDB_DIR/WANDB_CONFIG_DIR)

Each check prints "ok <name>" or "FAIL <name>: <why>"; the exit status is 0 only when every check passed.
"""

import base64
import json
import os
import sys
import time
import traceback
import urllib.request

import wandb

BASE_URL = os.environ["WANDB_BASE_URL"].rstrip("/")
ADMIN_KEY = os.environ["WANDB_API_KEY"]
RUN_ID = os.environ.get("CONFORMANCE_RUN_ID", str(int(time.time())))

failures = []


def check(name):
    def run(fn):
        started = time.monotonic()
        try:
            fn()
        except Exception as error:  # noqa: BLE001 - report every failure, keep going
            failures.append(name)
            print(f"FAIL {name}: {type(error).__name__}: {error}")
            traceback.print_exc(file=sys.stdout)
        else:
            print(f"ok {name} ({time.monotonic() - started:.2f}s)")
        sys.stdout.flush()
        return fn

    return run


def expect_equal(actual, expected, what):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def expect_raises(fn, contains, what):
    """The call must raise an exception whose text contains `contains` (an SDK exception, not a hang)."""
    try:
        result = fn()
    except Exception as error:  # noqa: BLE001
        if contains.lower() not in str(error).lower():
            raise AssertionError(f"{what}: raised {type(error).__name__} without {contains!r}: {error}") from error
        return error
    raise AssertionError(f"{what}: expected an error containing {contains!r}, got {result!r}")


def sandbox_post(path, body, key=ADMIN_KEY):
    """POST JSON to the sandbox with Basic auth (for what the SDK cannot do: mint a key, enqueue a run)."""
    request = urllib.request.Request(
        BASE_URL + path,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(f"api:{key}".encode()).decode(),
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def make_api(key):
    return wandb.Api(overrides={"base_url": BASE_URL}, api_key=key, timeout=30)


api = make_api(ADMIN_KEY)
TEAM = f"team-{RUN_ID}"
OTHER_TEAM = f"other-{RUN_ID}"
ALICE_EMAIL = f"alice-{RUN_ID}@example.com"
state = {}


@check("viewer and default entity")
def _():
    viewer = api.viewer
    expect_equal(viewer.username, "admin", "viewer.username")
    expect_equal(viewer.admin, True, "viewer.admin")
    expect_equal(api.default_entity, "admin", "default entity")


@check("create_user, user, users")
def _():
    alice = api.create_user(ALICE_EMAIL)
    expect_equal(alice.email, ALICE_EMAIL, "created user's email")
    state["alice_username"] = alice.username
    if not alice.username.startswith(f"alice-{RUN_ID}"):
        raise AssertionError(f"username derived from the e-mail, got {alice.username!r}")
    found = api.user(ALICE_EMAIL)
    expect_equal(found.email, ALICE_EMAIL, "api.user(email).email")
    expect_equal(found.username, alice.username, "api.user(email).username")
    expect_equal(api.user(alice.username).email, ALICE_EMAIL, "api.user(username).email")
    api.create_user(f"bob-{RUN_ID}@example.com", admin=True)
    everyone = api.users(f"-{RUN_ID}@example.com")
    expect_equal(sorted(u.email for u in everyone), sorted([ALICE_EMAIL, f"bob-{RUN_ID}@example.com"]), "users(query)")
    expect_equal([u.admin for u in everyone if u.email.startswith("bob")], [True], "bob is an instance admin")
    expect_equal(api.user(f"nobody-{RUN_ID}"), None, "user() for no match")
    expect_raises(lambda: api.create_user(ALICE_EMAIL), "already exists", "duplicate create_user")


@check("user API keys")
def _():
    me = api.user("admin")
    before = [key for key in me.api_keys]
    secret = me.generate_api_key(description="conformance")
    if not secret or len(secret) < 40:
        raise AssertionError(f"generate_api_key returned {secret!r}")
    if secret not in me.api_keys:
        raise AssertionError("the generated key is listed in api_keys")
    # The new key authenticates.
    expect_equal(make_api(secret).viewer.username, "admin", "viewer through the generated key")
    expect_equal(me.delete_api_key(secret), True, "delete_api_key")
    expect_raises(lambda: make_api(secret), "invalid or missing API key", "a deleted key no longer authenticates")
    expect_equal(sorted(api.user("admin").api_keys), sorted(before), "api keys after delete")


@check("create_team, team, invite, member delete, service account")
def _():
    team = api.create_team(TEAM)
    expect_equal(team.name, TEAM, "team.name")
    # wandb/docs#2863: creating a team needs an org admin, and the caller is not added to the team.
    expect_equal([(m.username, m.admin) for m in team.members], [], "the creator is not added to the team")
    alice = state["alice_username"]
    expect_equal(team.invite(alice), True, "invite by username")
    expect_equal(team.invite(f"carol-{RUN_ID}@example.com", admin=True), True, "invite an unknown e-mail")
    expect_equal(team.invite(alice), False, "inviting a member again fails")
    expect_equal(team.invite(f"nobody-{RUN_ID}"), False, "inviting an unknown username fails")
    team = api.team(TEAM)
    members = {m.name: m for m in team.members}
    expect_equal(members[alice].pending, False, "alice joined at once")
    expect_equal(members[alice].admin, False, "alice is not a team admin")
    expect_equal(members[f"carol-{RUN_ID}@example.com"].pending, True, "carol's invite is pending")
    expect_equal(members[f"carol-{RUN_ID}@example.com"].admin, True, "carol's invite is for an admin")

    expect_equal(members[alice].delete(), True, "member delete")
    expect_equal(members[f"carol-{RUN_ID}@example.com"].delete(), True, "invite delete")
    after = [m.name for m in api.team(TEAM).members]
    expect_equal(after, [], "members after deletes")
    expect_equal(members[alice].delete(), False, "deleting a removed member fails")

    account = team.create_service_account("ci bot")
    expect_equal(account.account_type, "SERVICE", "service account type")
    if not account.api_key or len(account.api_key) < 40:
        raise AssertionError(f"service account api_key: {account.api_key!r}")
    expect_equal(make_api(account.api_key).viewer.username, account.username, "service account key authenticates")
    expect_equal(api.team(TEAM).members[-1].id, account.id, "service account is the last member")

    # A team admin named by the instance admin.
    other = api.create_team(OTHER_TEAM, admin_username=alice)
    expect_equal([(m.username, m.admin) for m in other.members], [(alice, True)], "teamAdminUserName")
    # Creating a team that exists: the SDK swallows the error and loads the existing team.
    again = api.create_team(TEAM)
    expect_equal(len(again.members), 1, "existing team unchanged by a second create")


@check("create_project, project, projects (paged)")
def _():
    for name in ["proj-a", "proj-b", "proj-c"]:
        api.create_project(name, TEAM)
    api.create_project("proj-a", TEAM)  # an upsert: no duplicate
    project = api.project("proj-b", TEAM)
    expect_equal(project.name, "proj-b", "project.name")
    expect_equal(project.entity, TEAM, "project.entity")
    if not isinstance(project.id, str) or not project.id:
        raise AssertionError(f"project.id {project.id!r}")
    names = [p.name for p in api.projects(TEAM, per_page=2)]
    expect_equal(names, ["proj-a", "proj-b", "proj-c"], "projects over pages of 2")
    expect_raises(lambda: api.project("missing", TEAM).id, "not found", "missing project")
    expect_raises(lambda: api.create_project("x", f"no-such-entity-{RUN_ID}"), "not found", "project in a missing entity")


TEMPLATE_VARIABLES = {
    "job_name": {"schema": {"type": "string", "default": "x"}},
    "gpus": {"description": "GPUs per job", "schema": {"type": "integer", "minimum": 0, "maximum": 8}},
}
K8S_CONFIG = {"metadata": {"name": "{{job_name}}"}, "spec": {"gpus": "{{gpus}}"}}


def schema_map(template_variables):
    """The server's list [{name, schema: "<JSON>"}] as {name: schema dict}."""
    return {tv["name"]: json.loads(tv["schema"]) for tv in template_variables}


@check("create_run_queue and every RunQueue property")
def _():
    created = api.create_run_queue(
        "q1", "kubernetes", entity=TEAM, prioritization_mode="V0", config=K8S_CONFIG,
        template_variables=TEMPLATE_VARIABLES,
    )
    expect_equal(created.name, "q1", "created.name")
    expect_equal(created.type, "kubernetes", "created.type")

    queue = api.run_queue(TEAM, "q1")
    queue_id = queue.id
    if not isinstance(queue_id, str) or not queue_id:
        raise AssertionError(f"queue.id {queue_id!r}")
    expect_equal(queue.name, "q1", "name")
    expect_equal(queue.entity, TEAM, "entity")
    expect_equal(queue.access, "PROJECT", "access")
    expect_equal(queue.prioritization_mode, "V0", "prioritization_mode")
    expect_equal(queue.external_links, None, "external_links of a created queue")
    expect_equal(queue.type, "kubernetes", "type")
    expect_equal(queue.default_resource_config, {"resource_args": {"kubernetes": K8S_CONFIG}}, "default_resource_config")
    expect_equal([tv["name"] for tv in queue.template_variables], ["job_name", "gpus"], "template variable order")
    for tv in queue.template_variables:
        if not isinstance(tv["schema"], str):
            raise AssertionError(f"schema must be a JSON string, got {tv['schema']!r}")
    expect_equal(schema_map(queue.template_variables), {k: v["schema"] for k, v in TEMPLATE_VARIABLES.items()}, "schemas")
    expect_equal(queue.items, [], "items of a new queue")

    pushed = sandbox_post("/graphql", {
        "query": "mutation Push($id: ID!, $spec: JSONString!, $values: JSONString) { pushToRunQueue(input: "
                 "{queueID: $id, runSpec: $spec, templateVariableValues: $values}) { runQueueItemId runSpec } }",
        "variables": {"id": queue_id, "spec": json.dumps({"job": "j:v0"}), "values": json.dumps({"gpus": 2})},
    })
    item_id = pushed["data"]["pushToRunQueue"]["runQueueItemId"]
    filled = pushed["data"]["pushToRunQueue"]["runSpec"]["resource_args"]["kubernetes"]
    expect_equal(filled, {"metadata": {"name": "x"}, "spec": {"gpus": 2}}, "template filled with values and defaults")
    expect_equal([item.id for item in api.run_queue(TEAM, "q1").items], [item_id], "items after a push")

    expect_raises(lambda: api.create_run_queue("q1", "kubernetes", entity=TEAM), "already exists", "duplicate queue name")
    expect_raises(
        lambda: api.create_run_queue("q9", "kubernetes", entity=f"no-such-entity-{RUN_ID}"), "not found",
        "queue in a missing entity",
    )
    state["q1"] = queue_id


@check("upsert_run_queue creates, then replaces the whole queue")
def _():
    api.upsert_run_queue(
        "q2", resource_config={"image": "{{img}}"}, resource_type="local-container", entity=TEAM,
        template_variables={"img": {"schema": {"type": "string", "enum": ["a", "b"]}}},
        external_links={"docs": "https://example.com/docs", "runbook": "https://example.com/rb"},
        prioritization_mode="V0",
    )
    queue = api.run_queue(TEAM, "q2")
    first_id = queue.id
    expect_equal(queue.access, "PROJECT", "access of an upserted queue")
    expect_equal(queue.prioritization_mode, "V0", "prioritization_mode")
    expect_equal(queue.external_links, {"links": [
        {"label": "docs", "url": "https://example.com/docs"},
        {"label": "runbook", "url": "https://example.com/rb"},
    ]}, "external_links")
    expect_equal(queue.type, "local-container", "type")
    expect_equal(queue.default_resource_config, {"resource_args": {"local-container": {"image": "{{img}}"}}}, "config")
    expect_equal(schema_map(queue.template_variables), {"img": {"type": "string", "enum": ["a", "b"]}}, "template vars")

    # Replace everything: type, config, no template variables, no links.
    api.upsert_run_queue(
        "q2", resource_config={"metadata": {"labels": {"team": "ml"}}}, resource_type="kubernetes", entity=TEAM,
        prioritization_mode="V0",
    )
    queue = api.run_queue(TEAM, "q2")
    expect_equal(queue.id, first_id, "queue id kept by an upsert")
    expect_equal(queue.type, "kubernetes", "replaced type")
    expect_equal(queue.default_resource_config, {"resource_args": {"kubernetes": {"metadata": {"labels": {"team": "ml"}}}}}, "replaced config")
    expect_equal(queue.template_variables, [], "replaced template variables")
    expect_equal(queue.external_links, {"links": []}, "replaced external links")

    expect_raises(
        lambda: api.upsert_run_queue("q2", resource_config={}, resource_type="kubernetes", entity=TEAM),
        "cannot be disabled", "V0 to DISABLED",
    )
    # Defaults: DISABLED, no template variables.
    api.upsert_run_queue("q3", resource_config={}, resource_type="local-process", entity=TEAM)
    q3 = api.run_queue(TEAM, "q3")
    expect_equal(q3.prioritization_mode, "DISABLED", "default prioritization")
    expect_equal(q3.default_resource_config, {"resource_args": {"local-process": {}}}, "empty config stays wrapped")


@check("delete run queues")
def _():
    queue = api.run_queue(TEAM, "q1")
    queue.delete()
    expect_raises(lambda: api.run_queue(TEAM, "q1").id, "nonetype", "reading a deleted queue")
    remaining = sorted(q for q in ["q2", "q3"] if api.run_queue(TEAM, q).id)
    expect_equal(remaining, ["q2", "q3"], "other queues survive")


@check("non-admin caller is refused")
def _():
    alice_key = sandbox_post("/_sandbox/api-keys", {"username": state["alice_username"]})["apiKey"]
    alice = make_api(alice_key)
    expect_equal(alice.viewer.username, state["alice_username"], "alice's viewer")
    expect_raises(
        lambda: alice.upsert_run_queue("qa", resource_config={}, resource_type="kubernetes", entity=TEAM),
        "permission denied", "upsert in a team alice left",
    )
    expect_raises(lambda: alice.users("example.com"), "permission denied", "users() by a non-admin")
    expect_raises(lambda: alice.create_user(f"eve-{RUN_ID}@example.com"), "permission denied", "create_user by a non-admin")
    # Alice administers OTHER_TEAM, so she may create queues there.
    alice.upsert_run_queue("alice-q", resource_config={"image": "x"}, resource_type="local-container", entity=OTHER_TEAM)
    expect_equal(alice.run_queue(OTHER_TEAM, "alice-q").type, "local-container", "queue in alice's team")


def sandbox_get(path, key=ADMIN_KEY):
    request = urllib.request.Request(
        BASE_URL + path, headers={"Authorization": "Basic " + base64.b64encode(f"api:{key}".encode()).decode()},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@check("429 with Retry-After is retried by the SDK (raw and typed calls)")
def _():
    before = sandbox_get("/_sandbox/counters")["faultsInjected"].get("429", 0)
    sandbox_post("/_sandbox/faults", {"spec": "429:0.25@retry-after=0 seed=11"})
    try:
        for index in range(8):
            expect_equal(api.run_queue(TEAM, "q2").type, "kubernetes", f"read {index} under 429s")
            api.upsert_run_queue(
                f"retry-{index}", resource_config={"n": index}, resource_type="local-process", entity=TEAM,
            )
    finally:
        sandbox_post("/_sandbox/faults", {"spec": "none"})
    injected = sandbox_get("/_sandbox/counters")["faultsInjected"].get("429", 0) - before
    if injected < 3:
        raise AssertionError(f"expected several injected 429s, got {injected}")
    expect_equal(api.run_queue(TEAM, "retry-7").default_resource_config, {"resource_args": {"local-process": {"n": 7}}}, "last write")


@check("wrong API key is refused")
def _():
    expect_raises(lambda: make_api("x" * 40), "invalid or missing API key", "wandb.Api with an unknown key")


print(f"{len(failures)} failed: {', '.join(failures)}" if failures else "all checks passed")
sys.exit(1 if failures else 0)
