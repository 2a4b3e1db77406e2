"""Locust users for bench/load_test.py: visitors reading (search, pages, DCAT) and
signed-in members reading, exporting and writing. Run through load_test.py, which
starts the server and passes the tokens; loopback only."""
import os
import random
import re
import time
import uuid

from locust import HttpUser, between, task

QUERIES = ["医", "医保", "公交", "交通", "数据", "企业信用", "gps", "气象", "人口", "不存在的词语"]
DOMAINS = ["transport", "health", "finance", "government", "urban", ""]
ACCOUNTS = ["qingdao@cdou.example", "xiamen@cdou.example", "ningbo@cdou.example", "wenzhou@cdou.example"]
TOKENS = dict(item.split("=", 1) for item in os.environ.get("BENCH_TOKENS", "").split(",") if item)
PASSWORD = os.environ.get("CDOU_DEMO_PASSWORD", "cdou-demo-2025")


class Visitor(HttpUser):
    """Anonymous: search API and pages, entry pages, member directory, home, the DCAT page."""

    weight = 1
    wait_time = between(0.2, 1.0)

    @task(5)
    def search_api(self):
        q, domain = random.choice(QUERIES), random.choice(DOMAINS)
        self.client.get(f"/api/v1/resources?q={q}" + (f"&domain={domain}" if domain else ""),
                        name="/api/v1/resources?q")  # the API refuses an empty enum value (400)

    @task(3)
    def search_page(self):
        self.client.get(f"/resources/?q={random.choice(QUERIES)}&page={random.randint(1, 3)}", name="/resources/?q")

    @task(2)
    def entry_page(self):
        items = self.client.get("/api/v1/resources?sort=newest&per_page=10", name="/api/v1/resources?sort").json()
        if items["items"]:
            self.client.get(f"/resources/{random.choice(items['items'])['id']}", name="/resources/<id>")

    @task(2)
    def members(self):
        self.client.get("/members/", name="/members/")
        self.client.get("/", name="/")

    @task(1)
    def dcat(self):
        self.client.get("/catalog.ttl", name="/catalog.ttl")


class Member(HttpUser):
    """Signed in (cookie session): search, exports, an edit form; writes through the API."""

    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.email = random.choice(ACCOUNTS)
        html = self.client.get("/auth/login", name="/auth/login").text
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        self.client.post("/auth/login", data={"csrf_token": csrf, "email": self.email, "password": PASSWORD},
                         name="/auth/login [POST]")
        self.bearer = {"Authorization": f"Bearer {TOKENS[self.email]}"}
        self.mine = []

    @task(4)
    def search(self):
        self.client.get(f"/resources/?q={random.choice(QUERIES)}", name="/resources/?q [member]")

    @task(2)
    def export(self):
        domain = random.choice([d for d in DOMAINS if d])
        fmt = random.choice(["csv", "xlsx"])
        self.client.get(f"/resources/export.{fmt}?domain={domain}&q={random.choice(QUERIES[:6])}",
                        name=f"/resources/export.{fmt}")  # large searches answer the page that starts a job

    @task(1)
    def export_job(self):
        """An export through the job engine: start it, follow it, download the file."""
        fmt = random.choice(["csv", "xlsx"])
        job = self.client.post("/api/v1/exports", headers=self.bearer, name="POST /api/v1/exports",
                               json={"format": fmt, "domain": random.choice([d for d in DOMAINS if d]),
                                     "q": random.choice(QUERIES[:6])}).json()
        deadline = time.time() + 120
        while job.get("state") in ("queued", "running") and time.time() < deadline:
            time.sleep(1)
            job = self.client.get(job["api_url"], headers=self.bearer, name="/api/v1/jobs/<id>").json()
        if job.get("file"):
            self.client.get(job["file"]["url"], headers=self.bearer, name="/api/v1/jobs/<id>/file")

    @task(2)
    def create(self):
        code = "LOAD-" + uuid.uuid4().hex[:12]
        response = self.client.post("/api/v1/resources", headers=self.bearer, name="POST /api/v1/resources",
                                    json={"code": code, "title": f"压测条目 {code}", "domain": "transport",
                                          "frequency": "daily", "openness": "open", "is_public": True,
                                          "keywords": "压测,公交", "record_count": random.randint(1, 10**6)})
        if response.status_code == 201:
            self.mine.append(response.json()["id"])

    @task(2)
    def update(self):
        if self.mine:
            rid = random.choice(self.mine)
            self.client.patch(f"/api/v1/resources/{rid}", headers=self.bearer, name="PATCH /api/v1/resources/<id>",
                              json={"description": f"更新 {uuid.uuid4().hex[:8]}", "size_mb": 12.5})
