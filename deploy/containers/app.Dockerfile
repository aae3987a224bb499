# The app image: Debian 12's Python 3.11 and our pinned requirements. Built by deploy/compose.yaml
# from the repository root (see .dockerignore there).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv postgresql-client ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /srv/binapustaka --shell /usr/sbin/nologin binapustaka \
 && install -d -o binapustaka -g binapustaka -m 0750 /var/lib/binapustaka
WORKDIR /srv/binapustaka/app
COPY requirements.txt .
RUN python3 -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements.txt
COPY . .
RUN .venv/bin/pybabel compile -d elearn/translations && mkdir -p instance
ENV PATH=/srv/binapustaka/app/.venv/bin:$PATH FLASK_APP=wsgi PYTHONDONTWRITEBYTECODE=1
USER binapustaka
EXPOSE 8000
CMD ["gunicorn", "--workers", "3", "--bind", "0.0.0.0:8000", "--control-socket", "/run/binapustaka/gunicorn.ctl", "wsgi:app"]
