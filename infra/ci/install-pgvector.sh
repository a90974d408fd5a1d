#!/usr/bin/env bash
# Builds and installs pgvector into the machine's PostgreSQL when it is missing.
# Debian 12 does not package pgvector, so we build the source package from the next
# Debian release, using the same archive host the machine's apt sources already name.
set -euo pipefail

pg_major=$(psql --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')
if [ -f "/usr/share/postgresql/${pg_major}/extension/vector.control" ]; then
  echo "pgvector already installed for PostgreSQL ${pg_major}"
  exit 0
fi

archive=$(grep -hoE '^URIs: *[^ ]+/debian$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | sed 's/^URIs: *//')
if [ -z "$archive" ]; then
  archive=$(grep -hoE '^deb +[^ ]+/debian ' /etc/apt/sources.list 2>/dev/null | head -1 | awk '{print $2}')
fi
[ -n "$archive" ] || { echo "could not find the Debian archive in apt sources" >&2; exit 1; }

src_list=/etc/apt/sources.list.d/devflow-pgvector-src.list
echo "deb-src ${archive} trixie main" > "$src_list"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-server-dev-${pg_major}" make gcc >/dev/null

work=$(mktemp -d)
( cd "$work" && apt-get source --download-only pgvector >/dev/null && tar xf pgvector_*.orig.tar.* )
src_dir=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -1)
# OPTFLAGS="" because the default -march=native would bind the build to this CPU.
make -C "$src_dir" OPTFLAGS="" >/dev/null
make -C "$src_dir" install >/dev/null
rm -rf "$work" "$src_list"
apt-get update -qq || true

# Installing the server dev package can upgrade the running server; PL/pgSQL breaks until restart.
pg_ctlcluster --skip-systemctl-redirect "${pg_major}" main restart || pg_ctlcluster "${pg_major}" main restart
echo "pgvector installed for PostgreSQL ${pg_major}"
