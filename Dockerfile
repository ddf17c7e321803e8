# syntax=docker/dockerfile:1
# The production image. One image runs every Django process (docker-compose.yml): web
# (gunicorn), worker and beat (Celery); a one-off `migrate` service runs the release step.

# The Scottish Government Design System comes from npm. Node is needed to build the image,
# not to run it, so it stays in this stage.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error


FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=scrutiny.settings.production

# WeasyPrint's system libraries (Pango, HarfBuzz) and a font for the PDFs it renders.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/scrutiny scrutiny
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.lock ./
RUN pip install --requirement requirements.lock

COPY --from=frontend /app/node_modules ./node_modules
COPY . .

# collectstatic reads settings but no secret; this throwaway key exists only for this step.
RUN SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p var/uploads \
    && chown -R scrutiny:scrutiny var

USER scrutiny
EXPOSE 8000
CMD ["gunicorn", "scrutiny.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
