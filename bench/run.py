"""`make bench`: the portal as it runs in production, measured on this machine.

A fresh PostgreSQL database with ten years of cases, gunicorn (3 workers) and a Celery worker
against Redis, everything on loopback. Prints one table and writes bench/results.json.

    .venv/bin/python bench/run.py [--quick] [--scale 1.0] [--keep-database]

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kitz_bench),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/13), BENCH_PORT (default 8765).
"""

import argparse
import gc
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests, 10 s of load")
    parser.add_argument("--scale", type=float, default=1.0, help="data size (1.0 = ten years)")
    parser.add_argument("--requests", type=int, default=None, help="requests per page")
    parser.add_argument("--letters", type=int, default=None, help="letters for the memory check")
    parser.add_argument("--load-seconds", type=int, default=None)
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    args = parser.parse_args()
    args.requests = args.requests or (40 if args.quick else 200)
    args.letters = args.letters or (50 if args.quick else 500)
    args.load_seconds = args.load_seconds or (10 if args.quick else 60)
    return args


# Environment -----------------------------------------------------------------------------


def bench_environment(database_url, redis_url, mail_dir):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "PORTAL_STAFF_MFA_REQUIRED": "0",
            "CELERY_BROKER_URL": redis_url,
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
            "DJANGO_LOG_LEVEL": "WARNING",
            "PORTAL_BASE_URL": "http://127.0.0.1",
        }
    )
    return env


def only_loopback(url):
    host = urlsplit(url).hostname
    if host not in LOOPBACK:
        sys.exit(f"The benchmark only talks to loopback addresses, not {host}.")


def recreate_database(database_url):
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url):
    import psycopg

    parts = urlsplit(database_url)
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def manage(env, *arguments):
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def start(env, command, log):
    return subprocess.Popen(  # noqa: S603  (our own commands)
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for_http(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer on /healthz")


# Sessions and prepared data --------------------------------------------------------------


def session_cookie(user):
    """A logged-in session as django.contrib.auth.login would store it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def measured_pages():
    """The pages of the table: (name, url, user)."""
    from accounts.models import Organisation, User
    from applications.management.commands import seed_bench
    from applications.models import Application
    from networks.models import Network

    staff = User.objects.get(email=seed_bench.STAFF_EMAIL)
    applicant = User.objects.get(email=seed_bench.DASHBOARD_EMAIL)
    superuser = User.objects.get(email=seed_bench.SUPERUSER_EMAIL)
    signer = User.objects.get(email=seed_bench.SIGNER_EMAIL)
    large_case = Application.objects.get(title=seed_bench.LARGE_CASE_TITLE)
    network = Network.objects.order_by("pk").first()
    organisation = Organisation.objects.get(name=seed_bench.DASHBOARD_ORGANISATION)
    queue = "/antraege/kitz/eingang/"
    from applications.selectors import applications_for_staff_queue
    from applications.views import QUEUE_PAGE_SIZE

    total = applications_for_staff_queue(user=staff).qs.count()
    last_page = max(1, -(-total // QUEUE_PAGE_SIZE))
    searched = queue + "?" + urlencode({"q": "Sprachcafé", "status": "approved"})
    pages = [
        ("admin_changelist", "/django-admin/applications/application/", superuser),
        ("staff_queue_default", queue, staff),
        ("staff_queue_filtered_searched", searched, staff),
        ("staff_queue_last_page", f"{queue}?page={last_page}", staff),
        ("staff_case_large", f"/antraege/kitz/{large_case.pk}/", staff),
        ("applicant_dashboard_50", "/antraege/", applicant),
        ("network_page", f"/netzwerke/{network.slug}/", staff),
        ("statistics_all_years", "/verwaltung/auswertung/", signer),
    ]
    assert organisation.applications.count() == seed_bench.DASHBOARD_APPLICATIONS
    return pages


def count_queries(url, user):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(url)  # warm caches of the process, as a running worker has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code} in-process")
    return len(queries)


def time_page(port, url, cookie, count):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Cookie": cookie, "Host": f"{HOST}:{port}"}
    for _warm in range(3):
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status} over HTTP")
    samples = []
    for _request in range(count):
        started = time.perf_counter()
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        response.read()
        samples.append((time.perf_counter() - started) * 1000)
    connection.close()
    return samples


def percentile(samples, share):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# Letters ---------------------------------------------------------------------------------


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure_letters(count, letters):
    from django.utils import timezone

    from accounts.models import User
    from applications import letters as letter_module
    from applications.management.commands import seed_bench
    from applications.models import Application, ApplicationStatus

    application = (
        Application.objects.filter(status=ApplicationStatus.APPROVED, cost_items__isnull=False)
        .select_related("organisation", "programme")
        .order_by("pk")
        .first()
    )
    signer = User.objects.get(email=seed_bench.SIGNER_EMAIL)

    def render_bescheid():
        context = letter_module._context(
            application=application,
            kind="grant",
            actor=signer,
            amount=application.granted_amount,
            period_start=None,
            period_end=None,
            financing_type="deficit",
            eligible_costs=None,
            conditions="",
            reasons="",
            signer_name="Sina Bench",
            usage_report_due_on=None,
            repayment_due_on=None,
            issued_on=timezone.localdate(),
        )
        return letter_module.render_letter_pdf(context)

    def render_minimal():
        from weasyprint import HTML

        html = (
            f"<html><head><style>{letter_module._font_faces()} "
            'body { font-family: "Fira Sans"; }</style></head>'
            "<body><h1>Bescheid</h1><p>Eine Seite mit derselben Schrift.</p></body></html>"
        )
        return HTML(string=html).write_pdf()

    assert seed_bench  # the data is the benchmark's
    render_bescheid()
    render_minimal()
    bescheid = []
    minimal = []
    for _round in range(count):
        started = time.perf_counter()
        render_minimal()
        minimal.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        render_bescheid()
        bescheid.append((time.perf_counter() - started) * 1000)
    gc.collect()
    before = rss_mb()
    for _letter in range(letters):
        render_bescheid()
    gc.collect()
    after = rss_mb()
    median = statistics.median(bescheid)
    return {
        "median_ms": round(median, 1),
        "ratio_to_minimal": round(median / statistics.median(minimal), 2),
        "rss_growth_mb": round(after - before, 1),
        "letters_rendered": letters,
        "minimal_median_ms": round(statistics.median(minimal), 1),
    }


# Load ------------------------------------------------------------------------------------


def prepare_load(users_count, drafts_per_user):
    """Applicants with complete drafts of an open programme, and one session each."""
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Membership, Organisation, User
    from applications.models import (
        Application,
        CostCategory,
        CostItem,
        CriterionKind,
        FundingProgramme,
    )
    from applications.sample import install_sample_programme
    from handlungsfelder.models import Handlungsfeld

    today = timezone.localdate()
    template = install_sample_programme(year=today.year)
    programme = FundingProgramme.objects.create(
        title="Benchmark-Lastprogramm",
        budget_year=today.year,
        guideline=template.guideline,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=365),
        budget=Decimal("100000000.00"),
        min_grant=template.min_grant,
        max_grant=template.max_grant,
        min_own_share_percent=template.min_own_share_percent,
        volunteer_hourly_rate=template.volunteer_hourly_rate,
        volunteer_cap_percent=template.volunteer_cap_percent,
        max_investment_per_item=template.max_investment_per_item,
        lead_time_weeks=template.lead_time_weeks,
        max_duration_months=template.max_duration_months,
        one_pending_per_organisation=False,
    )
    programme.eligible_cost_categories.set(template.eligible_cost_categories.all())
    guideline = programme.guideline
    answers = {
        c.code: "yes" if c.excluding_answer == "no" else "no"
        for c in guideline.criteria.filter(kind=CriterionKind.ELIGIBILITY)
    }
    declarations = list(
        guideline.criteria.filter(kind=CriterionKind.DECLARATION).values_list("code", flat=True)
    )
    start = today + timedelta(weeks=programme.lead_time_weeks, days=7)
    category = CostCategory.objects.get(code="fees")
    field = Handlungsfeld.objects.order_by("pk").first()
    password = make_password(secrets.token_urlsafe(12))
    users = User.objects.bulk_create(
        [
            User(
                email=f"last-{k}@verein.example",
                first_name="Last",
                last_name=str(k),
                password=password,
            )
            for k in range(users_count)
        ]
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Last-Verein {k}",
                kind="association",
                contact_person="Aylin Kaya",
                iban="DE89370400440532013000",
                account_holder=f"Last-Verein {k} e. V.",
                is_non_profit=True,
                street="Domplatz 1",
                postal_code="24837",
                town="Schleswig",
                email=f"last-{k}@verein.example",
            )
            for k in range(users_count)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organisation=o, is_manager=True)
            for u, o in zip(users, organisations, strict=True)
        ]
    )
    now = timezone.now()
    drafts = Application.objects.bulk_create(
        [
            Application(
                organisation=organisation,
                programme=programme,
                title=f"Lastprojekt {k}-{d}",
                summary="Wöchentliches Sprachcafé für Neuzugewanderte.",
                description="Jeden Mittwoch treffen sich Menschen, um Deutsch zu sprechen.",
                target_groups="Neuzugewanderte",
                expected_participants=30,
                places="Schleswig",
                start_date=start,
                end_date=start + timedelta(days=90),
                own_funds=Decimal("200.00"),
                requested_amount=Decimal("1800.00"),
                financing_saved=True,
                eligibility_answers=answers,
                declarations_confirmed_at=now,
                confirmed_declarations=declarations,
                created_by=user,
            )
            for k, (user, organisation) in enumerate(zip(users, organisations, strict=True))
            for d in range(drafts_per_user)
        ]
    )
    CostItem.objects.bulk_create(
        [
            CostItem(
                application=draft,
                category=category,
                description="Honorar Sprachtrainerin",
                quantity=Decimal("1"),
                unit_price=Decimal("2000.00"),
            )
            for draft in drafts
        ]
    )
    through = Application.handlungsfelder.through
    through.objects.bulk_create(
        [through(application_id=draft.pk, handlungsfeld_id=field.pk) for draft in drafts]
    )
    plans = []
    for k, user in enumerate(users):
        own = [d.pk for d in drafts[k * drafts_per_user : (k + 1) * drafts_per_user]]
        plans.append({"cookie": session_cookie(user), "drafts": own})
    project = {
        "title": "Sprachcafé am Dom",
        "summary": "Wöchentliches Sprachcafé für Neuzugewanderte.",
        "description": "Jeden Mittwoch treffen sich Menschen, um Deutsch zu sprechen.",
        "handlungsfelder": str(field.pk),
        "target_groups": "Neuzugewanderte",
        "expected_participants": "30",
        "places": "Schleswig",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=90)).isoformat(),
    }
    return plans, project, programme


class LoadClient:
    """One simulated person: a keep-alive connection, a session and a CSRF token."""

    def __init__(self, port, cookie):
        self.port = port
        self.cookies = dict(part.split("=", 1) for part in cookie.split("; "))
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def request(self, method, url, body=None):
        headers = {
            "Host": f"{HOST}:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            body = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://{HOST}:{self.port}{url}"
        started = time.perf_counter()
        try:
            self.connection.request(method, url, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
            raise
        elapsed = (time.perf_counter() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", content, elapsed


def run_load(port, plans, project, staff_cookies, seconds):
    results = {"requests": 0, "errors": 0, "latencies": [], "submitted": 0, "error_samples": []}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def record(status, elapsed, ok, what):
        with lock:
            results["requests"] += 1
            results["latencies"].append(elapsed)
            if not ok:
                results["errors"] += 1
                if len(results["error_samples"]) < 5:
                    results["error_samples"].append(f"{what}: {status}")

    def call(client, method, url, body=None, expect=(200,)):
        try:
            status, location, content, elapsed = client.request(method, url, body)
        except (OSError, http.client.HTTPException) as error:
            record(type(error).__name__, 0.0, False, url)
            return None, ""
        record(status, elapsed, status in expect, f"{method} {url}")
        return status, location

    def applicant(plan):
        client = LoadClient(port, plan["cookie"])
        for pk in plan["drafts"]:
            if time.monotonic() >= deadline:
                return
            call(client, "GET", "/antraege/")
            call(client, "GET", f"/antraege/{pk}/projekt/")  # sets the CSRF cookie
            body = {**project, "csrfmiddlewaretoken": client.cookies.get("csrftoken", "")}
            status, location = call(client, "POST", f"/antraege/{pk}/projekt/", body, (302,))
            call(client, "GET", f"/antraege/{pk}/zusammenfassung/")
            body = {"csrfmiddlewaretoken": client.cookies.get("csrftoken", "")}
            status, location = call(client, "POST", f"/antraege/{pk}/absenden/", body, (302,))
            if status == 302 and location.rstrip("/").endswith(f"/antraege/{pk}"):
                with lock:
                    results["submitted"] += 1
            elif status == 302:
                record(status, 0.0, False, f"submit {pk} went to {location}")

    def staff(cookie):
        client = LoadClient(port, cookie)
        page = 1
        while time.monotonic() < deadline:
            call(client, "GET", f"/antraege/kitz/eingang/?page={page}")
            page = page % 20 + 1

    threads = [threading.Thread(target=applicant, args=(plan,)) for plan in plans]
    threads += [threading.Thread(target=staff, args=(cookie,)) for cookie in staff_cookies]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    results["seconds"] = round(time.monotonic() - started, 1)
    return results


def check_references(programme):
    from applications.models import Application, ReferenceCounter

    references = list(
        Application.objects.filter(reference__isnull=False).values_list("reference", flat=True)
    )
    unique = len(references) == len(set(references))
    gaps = 0
    by_year = {}
    for reference in references:
        _prefix, year, number = reference.split("-")
        by_year.setdefault(int(year), []).append(int(number))
    for year, numbers in by_year.items():
        counter = ReferenceCounter.objects.get(year=year).last_number
        gaps += counter - len(set(numbers))
        gaps += len([n for n in numbers if n > counter])
    return unique, gaps


def drain_outbox(mail_dir, since, timeout):
    from accounts.models import Notification, NotificationStatus

    created = Notification.objects.filter(created_at__gte=since)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not created.exclude(status=NotificationStatus.SENT).exists():
            break
        time.sleep(1)
    total = created.count()
    sent = created.filter(status=NotificationStatus.SENT).count()
    messages = 0
    for path in Path(mail_dir).glob("*"):
        messages += sum(
            1
            for line in path.read_text(errors="replace").splitlines()
            if line.startswith("Message-ID:")
        )
    return {"notifications": total, "sent": sent, "emails_written": messages}


def machine():
    model = platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


# Main ------------------------------------------------------------------------------------


def comparable(results):
    """Exactly the shape of issue 11, so runs can be compared over time; details are printed."""
    return {
        "machine": results["machine"],
        "pages": [
            {key: page[key] for key in ("name", "median_ms", "p95_ms", "queries", "ratio_to_admin")}
            for page in results["pages"]
        ],
        "letter": {
            key: results["letter"][key]
            for key in ("median_ms", "ratio_to_minimal", "rss_growth_mb")
        },
        "load": {
            key: results["load"][key]
            for key in (
                "users",
                "seconds",
                "requests",
                "errors",
                "p95_ms",
                "references_unique",
                "reference_gaps",
            )
        },
    }


def print_table(results):
    print()
    print(f"KITZ-Portal benchmark on {results['machine']}")
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'x admin':>8}")
    for page in results["pages"]:
        print(
            f"{page['name']:34} {page['median_ms']:>10.1f} {page['p95_ms']:>8.1f} "
            f"{page['queries']:>8} {page['ratio_to_admin']:>8.2f}"
        )
    letter = results["letter"]
    print(
        f"letter: median {letter['median_ms']} ms, {letter['ratio_to_minimal']}x a one-page "
        f"document, RSS growth {letter['rss_growth_mb']} MB after {letter['letters_rendered']}"
    )
    load = results["load"]
    print(
        f"load: {load['users']} applicants + {load['staff']} staff for {load['seconds']} s: "
        f"{load['requests']} requests, {load['errors']} errors, p95 {load['p95_ms']} ms, "
        f"{load['submitted']} submitted, references unique {load['references_unique']}, "
        f"gaps {load['reference_gaps']}, outbox {load['outbox']}"
    )


def main():
    args = parse_args()
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kitz_bench"
    )
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    port = int(os.environ.get("BENCH_PORT", "8765"))
    only_loopback(database_url)
    only_loopback(redis_url)
    mail_dir = Path(tempfile.mkdtemp(prefix="kitz-bench-mail-"))
    env = bench_environment(database_url, redis_url, mail_dir)
    os.environ.update(env)
    log_path = mail_dir.parent / f"{mail_dir.name}-services.log"
    logs = open(log_path, "w")  # noqa: SIM115  (open for the whole run)
    print(f"gunicorn and worker log: {log_path}")
    server = worker = None
    try:
        print(f"Database {database_url}: recreate, migrate, seed (scale {args.scale}) …")
        recreate_database(database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_bench", "--scale", str(args.scale), "--seed", "42")
        manage(env, "collectstatic", "--noinput", "-v", "0")

        import django

        sys.path.insert(0, str(BASE_DIR))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitz_portal.settings")
        django.setup()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        import redis

        redis.Redis.from_url(redis_url).flushdb()
        server = start(
            env,
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "kitz_portal.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                "3",
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            logs,
        )
        worker = start(
            env,
            [
                str(Path(PYTHON).parent / "celery"),
                "-A",
                "kitz_portal",
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "warning",
            ],
            logs,
        )
        wait_for_http(port)

        print("Pages …")
        pages = []
        admin_median = None
        for name, url, user in measured_pages():
            queries = count_queries(url, user)
            samples = time_page(port, url, session_cookie(user), args.requests)
            median = statistics.median(samples)
            if admin_median is None:
                admin_median = median
            pages.append(
                {
                    "name": name,
                    "median_ms": round(median, 1),
                    "p95_ms": round(percentile(samples, 0.95), 1),
                    "queries": queries,
                    "ratio_to_admin": round(median / admin_median, 2),
                    "url": url,
                }
            )

        print("Letters …")
        letter = measure_letters(10 if args.quick else 20, args.letters)

        print(f"Load for {args.load_seconds} s …")
        from django.utils import timezone

        from accounts.models import User
        from applications.management.commands import seed_bench

        plans, project, programme = prepare_load(50, 40 if not args.quick else 10)
        staff_user = User.objects.get(email=seed_bench.STAFF_EMAIL)
        staff_cookies = [session_cookie(staff_user) for _k in range(5)]
        since = timezone.now()
        load = run_load(port, plans, project, staff_cookies, args.load_seconds)
        unique, gaps = check_references(programme)
        outbox = drain_outbox(mail_dir, since, timeout=120 if not args.quick else 60)
        results = {
            "machine": machine(),
            "pages": pages,
            "letter": letter,
            "load": {
                "users": len(plans),
                "staff": len(staff_cookies),
                "seconds": load["seconds"],
                "requests": load["requests"],
                "errors": load["errors"],
                "p95_ms": round(percentile(load["latencies"], 0.95), 1)
                if load["latencies"]
                else None,
                "references_unique": unique,
                "reference_gaps": gaps,
                "submitted": load["submitted"],
                "error_samples": load["error_samples"],
                "outbox": outbox,
                "emails_sent_once": outbox["sent"] == outbox["notifications"]
                and outbox["emails_written"] == outbox["notifications"],
            },
            "quick": args.quick,
            "scale": args.scale,
        }
        print_table(results)
        with open(BASE_DIR / "bench" / "results.json", "w") as target:
            json.dump(comparable(results), target, indent=2, ensure_ascii=False)
            target.write("\n")
        print("\nWritten: bench/results.json")
    finally:
        stop(server)
        stop(worker)
        logs.close()
        shutil.rmtree(mail_dir, ignore_errors=True)
        if not args.keep_database:
            from django.db import connections

            connections.close_all()
            drop_database(database_url)


if __name__ == "__main__":
    main()
