"""Read and edit run queues with the official wandb SDK (0.31.0), for the reconciler's end-to-end tests.

Run by Tests/ReconcilerTests (WandbSDK.swift) with WANDB_BASE_URL and WANDB_API_KEY set to the sandbox, a
temporary HOME, and one JSON argument on standard input:

  sdk_queues.py read     {"queues": [["entity", "name"], ...]}
      prints RESULT {"entity/name": {id, type, prioritization_mode, access, external_links,
                     default_resource_config, template_variables} | null (no such queue), ...}
  sdk_queues.py upsert   {keyword arguments of api.upsert_run_queue}
      prints RESULT {"id": "<queue id>"}
  sdk_queues.py push     {"entity": e, "queue": name, "count": n}
      enqueues n runs with wandb.sdk.launch.launch_add (a docker image, the queue's template defaults);
      prints RESULT {"ids": ["<run queue item id>", ...]}
  sdk_queues.py items    {"queues": [["entity", "name"], ...]}
      prints RESULT {"entity/name": ["<item id>", ...] (RunQueue.items) | null (no such queue), ...}

The last line of standard output is "RESULT <json>"; the exit status is 0 only when the command worked.
"""

import json
import os
import sys

import wandb


def make_api():
    return wandb.Api(overrides={"base_url": os.environ["WANDB_BASE_URL"]}, api_key=os.environ["WANDB_API_KEY"], timeout=30)


def read_queue(api, entity, name):
    queue = api.run_queue(entity, name)
    try:
        queue_id = queue.id
    except (TypeError, wandb.errors.CommError) as error:
        # The SDK indexes project.runQueue, which is null for a queue that does not exist.
        if "NoneType" not in str(error):
            raise
        return None
    return {
        "id": queue_id,
        "type": queue.type,
        "prioritization_mode": queue.prioritization_mode,
        "access": queue.access,
        "external_links": queue.external_links,
        "default_resource_config": queue.default_resource_config,
        "template_variables": queue.template_variables,
    }


def main():
    command = sys.argv[1]
    argument = json.load(sys.stdin)
    api = make_api()
    if command == "read":
        result = {f"{entity}/{name}": read_queue(api, entity, name) for entity, name in argument["queues"]}
    elif command == "push":
        from wandb.sdk.launch import launch_add

        ids = []
        for _ in range(argument["count"]):
            queued = launch_add(
                docker_image="python:3.11-slim", queue_name=argument["queue"], entity=argument["entity"], project="launchq-tests")
            ids.append(queued.id)
        result = {"ids": ids}
    elif command == "items":
        result = {}
        for entity, name in argument["queues"]:
            queue = api.run_queue(entity, name)
            try:
                result[f"{entity}/{name}"] = [item.id for item in queue.items]
            except (TypeError, wandb.errors.CommError) as error:
                # The SDK indexes project.runQueue, which is null for a queue that does not exist.
                if "NoneType" not in str(error):
                    raise
                result[f"{entity}/{name}"] = None
    elif command == "upsert":
        api.upsert_run_queue(**argument)
        result = {"id": api.run_queue(argument["entity"], argument["name"]).id}
    else:
        raise SystemExit(f"unknown command {command!r}")
    print("RESULT " + json.dumps(result, sort_keys=True))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
