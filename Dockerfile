# Production image of the Ishtar Youth Leadership LMS: one image, several roles (web, worker,
# beat, migrate) chosen by the command; docker-compose.yml wires them together.
FROM python:3.11-slim

# manage.py and config/celery.py default to the dev settings, so production is set here for every
# role. gunicorn reads its worker count from WEB_CONCURRENCY: 3 sync workers suit a 2-core host.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    WEB_CONCURRENCY=3

# Every dependency ships a manylinux wheel (psycopg-binary bundles libpq), so nothing comes from
# apt: no compiler, no system library; fonts for certificates belong in the repository too.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home app

WORKDIR /app

# --no-deps + pip check: only the pinned versions in base.txt are installed, and a dependency
# missing from the pins fails the build instead of being resolved silently.
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-deps -r requirements/base.txt && pip check

COPY . .

# Translations and static files are built into the image. The settings need a SECRET_KEY and
# ALLOWED_HOSTS to load; these throwaway values exist only inside this RUN and are not part of
# the image's environment. The code stays owned by root: the app user can write only var/.
RUN SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=build.invalid EMAIL_URL=consolemail:// SITE_URL=https://build.invalid \
        python manage.py compile_translations \
    && SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=build.invalid EMAIL_URL=consolemail:// SITE_URL=https://build.invalid \
        python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf var \
    && install -d -o app -g app var var/media var/beat

# Numeric, so a runtime can verify that the container does not run as root.
USER 10001:10001

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

# Sync workers on purpose: ReportLab (certificates) is not thread-safe. Access log to stdout.
CMD ["gunicorn", "config.wsgi", \
     "--bind", "0.0.0.0:8000", \
     "--worker-class", "sync", \
     "--access-logfile", "-", \
     "--error-logfile", "-", \
     "--worker-tmp-dir", "/dev/shm", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--no-control-socket"]
