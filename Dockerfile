# Production-like image of the KITZ-Portal (used by docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core gettext nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml package.json ./
RUN pip install --upgrade pip && pip install . && npm install --omit=dev --no-audit --no-fund
COPY . .
RUN python manage.py compilemessages --ignore=node_modules -v 0 \
    && DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0

RUN useradd --system --home /app kitz && mkdir -p /data/media && chown -R kitz /data
USER kitz
EXPOSE 8000
CMD ["gunicorn", "kitz_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
