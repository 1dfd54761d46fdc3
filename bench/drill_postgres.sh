#!/usr/bin/env bash
# Fault drill (issue 9): make serve on PostgreSQL, then PostgreSQL stopped and started again.
# Prints /healthz, the sign-in page and a signed-in page at each step: expect 200, then 503
# (the app's own page), then 200 with no restart of the app. Loopback only.
# Usage: .ci/with-postgres bench/drill_postgres.sh
set -u
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pgport=$(echo "$CLAIMPATH_TEST_DATABASE_URL" | sed 's#.*:\([0-9]*\)/postgres#\1#')
data=$(.venv/bin/python -c "import psycopg,os; c=psycopg.connect(os.environ['CLAIMPATH_TEST_DATABASE_URL'].replace('+psycopg','')); print(c.execute('show data_directory').fetchone()[0])")
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
CLAIMPATH_DATABASE_URL=$CLAIMPATH_TEST_DATABASE_URL SECRET_KEY=x PORT=$port WEB_CONCURRENCY=2 CLAIMPATH_SEED_DEMO=1 setsid make --no-print-directory serve >${TMPDIR:-/tmp}/claimpath-drill.log 2>&1 &
srv=$!
for i in $(seq 60); do curl -sf -o /dev/null http://127.0.0.1:$port/healthz && break; sleep 0.5; done
show() { echo "$1: healthz $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/healthz), sign-in page $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/auth/signin), journeys $(curl -s -o ${TMPDIR:-/tmp}/claimpath-drill-page.html -w '%{http_code}' -b "$jar" http://127.0.0.1:$port/)"; }
jar=${TMPDIR:-/tmp}/claimpath-drill.jar; rm -f $jar
tok=$(curl -s -c $jar http://127.0.0.1:$port/auth/signin | sed -n 's/.*name="csrf_token" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -b $jar -c $jar --data-urlencode "csrf_token=$tok" --data-urlencode "email=demo@claimpath.example" --data-urlencode "password=claimpath-demo" http://127.0.0.1:$port/auth/signin
sed -i 's/^#HttpOnly_//' $jar; sed -i 's/\tTRUE\t\/\tTRUE\t/\tTRUE\t\/\tFALSE\t/; s/\tFALSE\t\/\tTRUE\t/\tFALSE\t\/\tFALSE\t/' $jar
show "running"
runuser -u postgres -- $bin/pg_ctl -D "$data" -m fast stop >/dev/null
show "PostgreSQL stopped"
grep -o "<h1>[^<]*</h1>" ${TMPDIR:-/tmp}/claimpath-drill-page.html
runuser -u postgres -- $bin/pg_ctl -D "$data" -l "$data/../log2" -w -o "-p $pgport -k $(dirname $data) -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
sleep 1
show "PostgreSQL started again"
kill -TERM -- -$srv 2>/dev/null; sleep 2
