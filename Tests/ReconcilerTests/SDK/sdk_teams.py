"""Read a team's members with the official wandb SDK (0.31.0), for the reconciler's end-to-end tests.

Run by Tests/ReconcilerTests (WandbSDK+Teams.swift) with WANDB_BASE_URL and WANDB_API_KEY set to the sandbox, a
temporary HOME, and one JSON argument on standard input:

  sdk_teams.py members   {"team": "<name>", "users": ["<email or username>", ...]}
      prints RESULT {"members": [{id, username, email, pending, admin}, ...] (api.team(name).members),
                     "users": {"<email or username>": true | false (api.user finds it)}}

The last line of standard output is "RESULT <json>"; the exit status is 0 only when the command worked.
"""

import json
import os
import sys

import wandb


def main():
    command = sys.argv[1]
    argument = json.load(sys.stdin)
    api = wandb.Api(overrides={"base_url": os.environ["WANDB_BASE_URL"]}, api_key=os.environ["WANDB_API_KEY"], timeout=30)
    if command != "members":
        raise SystemExit(f"unknown command {command!r}")
    team = api.team(argument["team"])
    members = [
        {
            "id": getattr(member, "id", None),
            "username": getattr(member, "username", None),
            "email": getattr(member, "email", None),
            "pending": bool(getattr(member, "pending", False)),
            "admin": bool(getattr(member, "admin", False)),
        }
        for member in team.members
    ]
    users = {reference: api.user(reference) is not None for reference in argument["users"]}
    print("RESULT " + json.dumps({"members": members, "users": users}, sort_keys=True))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
