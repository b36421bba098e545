"""A real Celery worker against Redis for the outbox tests, and the broker switch they share."""

import time

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker

from kitz_portal.celery import app as celery_app


def point_broker(app, url):
    """Switch the broker and drop every connection and producer cached for the previous one."""
    app.conf.broker_url = url
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    kombu.pools.reset()


def wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def redis_celery(redis_broker_url):
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager")}
    point_broker(celery_app, redis_broker_url)
    conf.task_always_eager = False
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()
    yield celery_app
    conf.update(saved)
    point_broker(celery_app, saved["broker_url"])


@pytest.fixture
def worker(redis_celery):
    with start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield redis_celery
