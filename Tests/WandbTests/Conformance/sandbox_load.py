"""Measure the sandbox's throughput over loopback HTTP (not a test: prints figures).

  WANDB_API_KEY=$KEY swift run launchq sandbox --listen 127.0.0.1:8181 [--state /tmp/s.json] &
  WANDB_API_KEY=$KEY python3 Tests/WandbTests/Conformance/sandbox_load.py http://127.0.0.1:8181 [QUEUES] [THREADS]

Creates a team per 50 queues, upserts QUEUES queues (THREADS concurrent keep-alive connections), then reads
them back in batched requests (10 entities per request, aliases), and prints requests per second for each phase.
Uses only the standard library.
"""

import base64
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

URL = urllib.parse.urlparse(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8181")
QUEUES = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
THREADS = int(sys.argv[3]) if len(sys.argv) > 3 else 4
AUTH = "Basic " + base64.b64encode(f"api:{os.environ['WANDB_API_KEY']}".encode()).decode()
RUN = str(int(time.time()))
PER_TEAM = 50

UPSERT = """mutation UpsertRunQueue($entityName: String!, $projectName: String!, $queueName: String!, $resourceType: String!,
$resourceConfig: JSONString!, $templateVariables: JSONString) { upsertRunQueue(input: {entityName: $entityName,
projectName: $projectName, queueName: $queueName, resourceType: $resourceType, resourceConfig: $resourceConfig,
templateVariables: $templateVariables}) { success } }"""


def connection():
    return http.client.HTTPConnection(URL.hostname, URL.port, timeout=30)


def post(conn, query, variables=None, name=""):
    body = json.dumps({"query": query, "variables": variables or {}, "operationName": name})
    conn.request("POST", "/graphql", body, {"Authorization": AUTH, "Content-Type": "application/json"})
    response = conn.getresponse()
    data = json.loads(response.read())
    if response.status != 200 or data.get("errors"):
        raise RuntimeError(f"{response.status}: {data}")
    return data


def parallel(jobs):
    """Run callables over THREADS connections; return the wall time."""
    queue = list(jobs)
    lock = threading.Lock()

    def worker():
        conn = connection()
        while True:
            with lock:
                if not queue:
                    return
                job = queue.pop()
            job(conn)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


teams = [f"load-{RUN}-{i}" for i in range((QUEUES + PER_TEAM - 1) // PER_TEAM)]
setup = connection()
for team in teams:
    post(setup, 'mutation($n: String!) { createTeam(input: {teamName: $n}) { entity { id } } }', {"n": team})
    post(setup, 'mutation($e: String!) { upsertModel(input: {entityName: $e, name: "model-registry"}) { inserted } }', {"e": team})

config = json.dumps({"resource_args": {"kubernetes": {"spec": {"template": {"spec": {"containers": [
    {"image": "{{image}}", "resources": {"limits": {"nvidia.com/gpu": "{{gpus}}"}}}]}}}}}})
variables = json.dumps({"image": {"schema": {"type": "string"}}, "gpus": {"schema": {"type": "integer", "default": 1}}})


def upsert_job(index):
    def job(conn):
        post(conn, UPSERT, {
            "entityName": teams[index // PER_TEAM], "projectName": "model-registry", "queueName": f"q{index}",
            "resourceType": "kubernetes", "resourceConfig": config, "templateVariables": variables,
        }, "UpsertRunQueue")
    return job


elapsed = parallel(upsert_job(i) for i in range(QUEUES))
print(f"upsertRunQueue: {QUEUES} in {elapsed:.2f}s = {QUEUES / elapsed:.0f} mutations/s ({THREADS} connections)")

fields = ("runQueues { id name access prioritizationMode externalLinks defaultResourceConfigID "
          "defaultResourceConfig { id resource config templateVariables { name description schema } } }")
batches = [teams[i:i + 10] for i in range(0, len(teams), 10)]
query_for = {
    tuple(batch): "query ReadQueues { " + " ".join(
        f'e{j}: project(name: "model-registry", entityName: "{team}") {{ {fields} }}' for j, team in enumerate(batch)) + " }"
    for batch in batches
}
ROUNDS = 20
read_queues = [0]
read_lock = threading.Lock()


def read_job(batch):
    def job(conn):
        data = post(conn, query_for[tuple(batch)], name="ReadQueues")
        with read_lock:
            read_queues[0] += sum(len(p["runQueues"]) for p in data["data"].values())
    return job


elapsed = parallel(read_job(batch) for _ in range(ROUNDS) for batch in batches)
requests = ROUNDS * len(batches)
print(f"batched read: {requests} requests ({read_queues[0]} queues) in {elapsed:.2f}s = "
      f"{requests / elapsed:.0f} requests/s, {read_queues[0] / elapsed:.0f} queues/s")

viewer = "query Viewer { viewer { id } }"
elapsed = parallel((lambda conn: post(conn, viewer, name="Viewer")) for _ in range(2000))
print(f"Viewer: 2000 in {elapsed:.2f}s = {2000 / elapsed:.0f} requests/s")
