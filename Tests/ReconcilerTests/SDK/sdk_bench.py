"""The same reconciliation as `launchq apply`, written the way people script it today with wandb==0.31.0:
one api.run_queue(...) read per queue, compared with the desired definition, api.upsert_run_queue(...) when
it differs; users, teams, members and projects checked one by one.

Run by `launchq-bench reconcile` (Sources/launchq-bench/ReconcileBenchmark.swift) with WANDB_BASE_URL and
WANDB_API_KEY set to the sandbox and the desired state as JSON on standard input:
  {"users": [{"email", "admin"}], "teams": [{"name", "admin", "members": [email]}],
   "projects": [{"entity", "name", "description"}],
   "queues": [{"entity", "name", "resource_type", "resource_config", "template_variables", "external_links",
               "prioritization_mode"}]}
It resets the sandbox's counters after wandb.Api() has logged in, so the figures cover the reconciliation only,
and prints "RESULT {"seconds", "created", "updated", "unchanged"}" last.
"""

import base64
import json
import os
import sys
import time
import urllib.request

import wandb

BASE_URL = os.environ["WANDB_BASE_URL"].rstrip("/")
KEY = os.environ["WANDB_API_KEY"]


def sandbox_post(path):
    request = urllib.request.Request(
        BASE_URL + path, data=b"", method="POST",
        headers={"Authorization": "Basic " + base64.b64encode(f"api:{KEY}".encode()).decode()},
    )
    urllib.request.urlopen(request, timeout=30).read()


def current_queue(api, entity, name):
    """The queue as W&B has it, in the desired form, or None when it does not exist."""
    queue = api.run_queue(entity, name)
    try:
        queue.id
    except (TypeError, wandb.errors.CommError) as error:
        if "NoneType" not in str(error):
            raise
        return None
    config = queue.default_resource_config or {}
    return {
        "resource_type": queue.type,
        "resource_config": config.get("resource_args", {}).get(queue.type, {}),
        "template_variables": {tv["name"]: json.loads(tv["schema"]) for tv in queue.template_variables},
        "external_links": {link["label"]: link["url"] for link in (queue.external_links or {}).get("links", [])},
        "prioritization_mode": queue.prioritization_mode,
    }


def wanted(queue):
    return {
        "resource_type": queue["resource_type"],
        "resource_config": queue["resource_config"],
        # The SDK's read has no descriptions, so a script can only compare schemas.
        "template_variables": {name: tv["schema"] for name, tv in queue["template_variables"].items()},
        "external_links": queue["external_links"],
        "prioritization_mode": queue["prioritization_mode"],
    }


def main():
    desired = json.load(sys.stdin)
    api = wandb.Api(overrides={"base_url": BASE_URL}, api_key=KEY, timeout=60)
    sandbox_post("/_sandbox/reset-counters")
    started = time.monotonic()
    created = updated = unchanged = 0

    usernames = {}
    for user in desired["users"]:
        found = [u for u in api.users(user["email"]) if (u.email or "").lower() == user["email"].lower()]
        if found:
            usernames[user["email"]] = found[0].username
        else:
            usernames[user["email"]] = api.create_user(user["email"], admin=user["admin"]).username
            created += 1

    for spec in desired["teams"]:
        try:
            team = api.team(spec["name"])
            members = team.members
        except Exception:  # noqa: BLE001 - a missing team
            team = api.create_team(spec["name"], admin_username=usernames.get(spec["admin"]))
            members = team.members
            created += 1
        known = {m.username for m in members}
        for email in spec["members"]:
            if usernames[email] not in known:
                team.invite(usernames[email])
                created += 1

    for project in desired["projects"]:
        try:
            api.project(project["name"], project["entity"]).id
        except Exception:  # noqa: BLE001 - a missing project
            api.create_project(project["name"], project["entity"])
            created += 1

    for queue in desired["queues"]:
        have = current_queue(api, queue["entity"], queue["name"])
        if have == wanted(queue):
            unchanged += 1
            continue
        api.upsert_run_queue(
            queue["name"], resource_config=queue["resource_config"], resource_type=queue["resource_type"],
            entity=queue["entity"], template_variables=queue["template_variables"] or None,
            external_links=queue["external_links"] or None, prioritization_mode=queue["prioritization_mode"],
        )
        if have is None:
            created += 1
        else:
            updated += 1

    seconds = time.monotonic() - started
    print("RESULT " + json.dumps({"seconds": seconds, "created": created, "updated": updated, "unchanged": unchanged}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
