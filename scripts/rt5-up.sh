#!/usr/bin/env bash
# rt5-up.sh - slasim's own bring-up of a real Request Tracker 5 helpdesk (Debian
# bookworm packages, SQLite backend) listening on 127.0.0.1 only, the target of the
# `slasim replay` integration test (sim/replay, TestRT5Integration). Used by
# `make rt5-up` and .ci/run; self-contained (no files outside this repository).
#
# Usage:  sudo bash scripts/rt5-up.sh [PORT] [OUTFILE]
#   PORT     TCP port on 127.0.0.1 (default: $RT5_PORT or 8080)
#   OUTFILE  write a shell-sourceable env file (RT5_REST2_URL, RT5_TOKEN, ...)
#            (default: $RT5_ENV or /tmp/slasim-rt5.env). If the only argument is
#            not a number it is taken as OUTFILE (make passes an empty RT5_PORT so).
#
# Environment knobs (all optional):
#   RT5_ROOT_PASSWORD   root password to set           (default: password)
#   RT5_AGENTS          number of agent users agentN    (default: 4; only at DB creation)
#   RT5_AGENT_PASSWORD  password of the agent users     (default: agentpass)
#   RT5_BCRYPT_COST     RT $BcryptCost (stock RT: 12)   (default: 4, see RT5.md)
#   RT5_WORKERS         Starlet worker processes        (default: 10)
#   RT5_SQLITE_JOURNAL  wal | delete                    (default: wal)
#   RT5_RESET=1         wipe the SQLite DB and start from an empty RT
#   RT5_SKIP_INSTALL=1  never call apt-get (fail if RT is not installed)
#
# Creates the ticket custom fields Channel, Category and Priority class (applied to all
# queues); `slasim replay --helpdesk rt5` fills them when they exist.
#
# Idempotent: re-running keeps the DB, reuses a still-valid token, and leaves a healthy
# server on the same port running (restarts it if the port/settings changed).
# Stop with rt5-down.sh (kills only the PID recorded here).
set -euo pipefail

if [ $# -eq 1 ] && ! [[ "$1" =~ ^[0-9]+$ ]]; then set -- "" "$1"; fi
PORT="${1:-${RT5_PORT:-8080}}"
OUTFILE="${2:-${RT5_ENV:-${RT5_OUT:-/tmp/slasim-rt5.env}}}"
# Not root: re-run through sudo (non-interactive) if possible.
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then
  exec sudo -n -E bash "$0" "$PORT" "$OUTFILE"
fi
ROOT_PW="${RT5_ROOT_PASSWORD:-password}"
AGENTS="${RT5_AGENTS:-4}"
AGENT_PW="${RT5_AGENT_PASSWORD:-agentpass}"
BCRYPT_COST="${RT5_BCRYPT_COST:-4}"
WORKERS="${RT5_WORKERS:-10}"
JOURNAL="${RT5_SQLITE_JOURNAL:-wal}"

RT_ETC=/etc/request-tracker5
RT_CONF="$RT_ETC/RT_SiteConfig.d/99-rt5-up.pm"
STATE=/var/lib/request-tracker5/rt5-up          # DB + token (persistent)
DB="$STATE/rtdb"
TOKEN_FILE="$STATE/token"
RUN=/run/rt5-up                                  # pid/port of the running server
PIDFILE="$RUN/rt-server.pid"
LOG=/var/log/request-tracker5/rt5-up-server.log
RT_SERVER=/usr/share/request-tracker5/libexec/rt-server
PKGS=(request-tracker5 rt5-db-sqlite rt5-standalone rt5-clients)

log() { printf '[rt5-up] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
declare -a TIMINGS=()
timed() { # timed LABEL cmd...
  local label=$1; shift; local t0; t0=$(now)
  "$@"
  local dt; dt=$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')
  TIMINGS+=("$label=${dt}s"); log "$label: ${dt}s"
}
as_rt() { setpriv --reuid=www-data --regid=www-data --init-groups "$@"; }

[ "$(id -u)" = 0 ] || die "run as root"
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || die "bad port '$PORT'"
[[ "$BCRYPT_COST" =~ ^[0-9]+$ ]] && [ "$BCRYPT_COST" -ge 4 ] && [ "$BCRYPT_COST" -le 31 ] || die "RT5_BCRYPT_COST must be 4..31"
[ "${#ROOT_PW}" -ge 5 ] || die "RT5_ROOT_PASSWORD must be >= 5 chars (RT minimum)"
case "$JOURNAL" in wal|delete) ;; *) die "RT5_SQLITE_JOURNAL must be wal or delete";; esac
T_ALL=$(now)

# ---------------------------------------------------------------- 1. install
installed() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'; }
do_install() {
  export DEBIAN_FRONTEND=noninteractive
  # No DB setup by dbconfig-common (we init the SQLite DB ourselves), no cron jobs.
  # (The web base URL/path asked here are overridden by $RT_CONF anyway; an empty
  # webpath preseed is ignored by the package, which then uses /rt.)
  debconf-set-selections <<EOF
request-tracker5 request-tracker5/dbconfig-install boolean false
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
request-tracker5 request-tracker5/rtname string loadtest.local
request-tracker5 request-tracker5/organization string loadtest.local
request-tracker5 request-tracker5/correspondaddress string rt@loadtest.local
request-tracker5 request-tracker5/commentaddress string rt-comment@loadtest.local
request-tracker5 request-tracker5/webbaseurl string http://127.0.0.1:$PORT
EOF
  local pkgs=("${PKGS[@]}")
  # request-tracker5 depends on an MTA; take the daemon-less dma unless one is present
  # (installing dma would replace an existing MTA such as exim4/postfix).
  [ -e /usr/sbin/sendmail ] || pkgs+=(dma)
  apt_upd() { apt-get update -q >/dev/null || die "apt-get update failed"; }
  timed apt_update apt_upd
  local aptlog=/var/log/rt5-up-apt.log
  apt_dl() { apt-get install -y -q --no-install-recommends --download-only "${pkgs[@]}" >"$aptlog" 2>&1 \
    || { tail -30 "$aptlog" >&2; die "apt-get download failed (log: $aptlog)"; }; }
  timed apt_download apt_dl
  apt_inst() {
    # Private TMPDIR: with dbconfig-install=false, request-tracker5's postinst leaves a
    # mktemp file holding the default root password ("password") plus empty
    # dbconfig-generate-include.* files behind; keep them out of /tmp and delete them.
    local tmpd rc=0; tmpd=$(mktemp -d)
    TMPDIR=$tmpd apt-get install -y -q --no-install-recommends "${pkgs[@]}" >>"$aptlog" 2>&1 || rc=$?
    rm -rf "$tmpd"
    [ "$rc" = 0 ] || { tail -30 "$aptlog" >&2; die "apt-get install failed (log: $aptlog)"; }
  }
  timed apt_install apt_inst
}
need_install=0
for p in "${PKGS[@]}"; do installed "$p" || need_install=1; done
if [ "$need_install" = 1 ]; then
  [ "${RT5_SKIP_INSTALL:-0}" = 1 ] && die "RT5 packages missing and RT5_SKIP_INSTALL=1"
  timed install do_install
else
  log "packages already installed"
fi
[ -x "$RT_SERVER" ] || die "$RT_SERVER missing"

# ---------------------------------------------------------------- 2. config
write_config() {
  # Debian's ucf-managed RT_SiteConfig.pm is created 0600 root: RT (running as www-data)
  # then logs "Couldn't load RT config file RT_SiteConfig.pm". Make it group-readable.
  [ -f "$RT_ETC/RT_SiteConfig.pm" ] && chgrp www-data "$RT_ETC/RT_SiteConfig.pm" && chmod 0640 "$RT_ETC/RT_SiteConfig.pm"
  install -d -o www-data -g www-data -m 0750 "$STATE"
  local tmp; tmp=$(mktemp)
  cat >"$tmp" <<EOF
# Written by rt5-up.sh: loopback-only RT for load tests. Overrides 50-debconf.pm/51-dbconfig-common.pm.
Set(\$DatabaseType, 'SQLite');
Set(\$DatabaseName, '$DB');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $PORT);
Set(\$WebPath, '');
Set(\$WebBaseURL, 'http://127.0.0.1:$PORT');
# Never hand mail to an MTA: outgoing mail (autoreplies, notifications) is appended to
# mbox files in /var/lib/request-tracker5/ (the EmailRecord transactions still happen).
Set(\$MailCommand, 'mbox');
# Cost of bcrypt for passwords AND auth tokens, paid on every basic/token-authenticated
# REST2 request. Stock RT is 12 (~0.2-0.3 s CPU per request).
Set(\$BcryptCost, $BCRYPT_COST);
# Convert HTML (templates of autoreplies/notifications) to text in-process. If w3m/elinks/
# lynx/html2text is installed RT would otherwise fork one per outgoing mail: ~5x slower
# ticket creation (measured 640 ms vs 130 ms). The startup warning about it is harmless.
Set(\$HTMLFormatter, 'core');
# No syslog daemon is assumed; warnings go to stderr (-> $LOG).
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'warning');
1;
EOF
  if ! cmp -s "$tmp" "$RT_CONF"; then
    install -o root -g www-data -m 0640 "$tmp" "$RT_CONF"; CONFIG_CHANGED=1
  fi
  rm -f "$tmp"
}
CONFIG_CHANGED=0
timed config write_config

# ---------------------------------------------------------------- 3. database
read_pid() { [ -s "$PIDFILE" ] && cat "$PIDFILE" || true; }
is_our_server() { # PID -> true if alive and an rt-server
  local pid=$1; [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'rt-server'
}
group_members() { # PGID -> PIDs of rt-server processes in that process group
  local pg=$1 f st rest
  for f in /proc/[0-9]*/stat; do
    st=$(cat "$f" 2>/dev/null) || continue
    rest=${st##*) }; set -- $rest          # $1=state $2=ppid $3=pgrp
    [ "$3" = "$pg" ] || continue
    if tr '\0' ' ' <"${f%/stat}/cmdline" 2>/dev/null | grep -q rt-server; then
      f=${f#/proc/}; echo "${f%/stat}"
    fi
  done
  return 0
}
stop_server() { # stops only the server whose PID (= its process group id) we recorded
  local pid left; pid=$(read_pid)
  [ -n "$pid" ] || { rm -f "$RUN/port"; return 0; }
  if is_our_server "$pid"; then
    log "stopping rt-server pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  left=$(group_members "$pid")
  if [ -n "$left" ]; then kill -TERM $left 2>/dev/null || true; sleep 1; left=$(group_members "$pid"); fi
  if [ -n "$left" ]; then kill -KILL $left 2>/dev/null || true; fi
  rm -f "$PIDFILE" "$RUN/port"
}
init_db() {
  local pwfile datafile
  pwfile=$(mktemp); datafile=$(mktemp --suffix=.pl)
  printf '%s\n' "$ROOT_PW" >"$pwfile"
  cat >"$datafile" <<EOF
# rt5-up.sh initialdata: agent users in group Support, rights for agents (REST2)
# and for customers writing through the email gateway (Everyone).
@Groups = ( { Name => 'Support', Description => 'Support agents (rt5-up.sh)' } );
@Users = map { {
    Name => "agent\$_", EmailAddress => "agent\$_\\@loadtest.local", RealName => "Agent \$_",
    Privileged => 1, Password => q{$AGENT_PW}, MemberOf => 'Support',
} } 1 .. $AGENTS;
@ACL = (
    { GroupDomain => 'SystemInternal', GroupType => 'Everyone',
      Right => [qw(CreateTicket ReplyToTicket CommentOnTicket)] },
    { GroupDomain => 'UserDefined', GroupId => 'Support',
      Right => [qw(SeeQueue ShowTicket ShowTicketComments CreateTicket ReplyToTicket
                   CommentOnTicket OwnTicket TakeTicket StealTicket ModifyTicket
                   Watch WatchAsAdminCc ShowOutgoingEmail)] },
);
1;
EOF
  chgrp www-data "$pwfile" "$datafile"; chmod 0640 "$pwfile" "$datafile"
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal" "$TOKEN_FILE"
  (cd / && as_rt /usr/sbin/rt-setup-database-5 --action init --skip-create \
        --root-password-file "$pwfile") >>"$STATE/init.log" 2>&1 \
    || { tail -20 "$STATE/init.log" >&2; rm -f "$pwfile" "$datafile"; die "rt-setup-database init failed"; }
  (cd / && as_rt /usr/sbin/rt-setup-database-5 --action insert --skip-create \
        --datafile "$datafile") >>"$STATE/init.log" 2>&1 \
    || { tail -20 "$STATE/init.log" >&2; rm -f "$pwfile" "$datafile"; die "initialdata insert failed"; }
  rm -f "$pwfile" "$datafile"
}
if [ "${RT5_RESET:-0}" = 1 ] && [ -e "$DB" ]; then
  log "RT5_RESET=1: wiping $DB"; stop_server; rm -f "$DB"
fi
if [ ! -s "$DB" ]; then
  stop_server
  timed db_init init_db
else
  log "database exists: $DB"
fi
cur_journal=$(as_rt sqlite3 "$DB" 'PRAGMA journal_mode;' 2>/dev/null || echo '?')
if [ "$cur_journal" != "$JOURNAL" ]; then
  stop_server   # changing the journal mode needs the DB to ourselves
  as_rt sqlite3 "$DB" "PRAGMA journal_mode=$JOURNAL;" >/dev/null
fi

# ---------------------------------------------------------------- 4. server
healthy() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$PORT/REST/2.0/" 2>/dev/null | grep -q '^401$\|^200$'; }
start_server() {
  install -d -m 0755 "$RUN"
  touch "$LOG"; chown www-data:www-data "$LOG"
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "127.0.0.1:$PORT is already in use"; fi
  # setsid: own session/process group (rt5-down.sh can signal the whole group by the PID);
  # the sh records its own PID and then execs (same PID) into setpriv -> rt-server (Starlet master).
  setsid sh -c 'echo $$ > "$1"; shift; exec "$@"' sh "$PIDFILE" \
    setpriv --reuid=www-data --regid=www-data --init-groups \
    "$RT_SERVER" --server Starlet --host 127.0.0.1 --port "$PORT" \
    --max-workers "$WORKERS" --max-reqs-per-child 100000 \
    </dev/null >>"$LOG" 2>&1 &
  for _ in $(seq 50); do [ -s "$PIDFILE" ] && break; sleep 0.1; done
  local pid; pid=$(read_pid); [ -n "$pid" ] || die "no pid recorded"
  for _ in $(seq 600); do
    healthy && break
    kill -0 "$pid" 2>/dev/null || { tail -20 "$LOG" >&2; die "rt-server exited (log: $LOG)"; }
    sleep 0.2
  done
  healthy || { tail -20 "$LOG" >&2; die "rt-server not answering on 127.0.0.1:$PORT"; }
  echo "$PORT $WORKERS" >"$RUN/port"
}
pid=$(read_pid)
if is_our_server "$pid" && [ "$CONFIG_CHANGED" = 0 ] && [ "$(cat "$RUN/port" 2>/dev/null)" = "$PORT $WORKERS" ] && healthy; then
  log "rt-server already running (pid $pid) on 127.0.0.1:$PORT"
else
  stop_server
  timed start start_server
  log "rt-server pid $(read_pid), log $LOG"
fi

# ---------------------------------------------------------------- 5. queue + token
REST2="http://127.0.0.1:$PORT/REST/2.0"
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$@"; }
ensure_queue() { # second queue for escalations, created through REST2 itself
  local auth c
  auth="Authorization: token $(cat "$TOKEN_FILE")"
  c=$(code -H "$auth" "$REST2/queue/Tier2")
  if [ "$c" = 404 ]; then
    c=$(code -H "$auth" -H 'Content-Type: application/json' -X POST \
        -d '{"Name":"Tier2","Description":"Escalation queue (rt5-up.sh)"}' "$REST2/queue")
    [ "$c" = 201 ] || die "creating queue Tier2 failed: HTTP $c"
    log "queue Tier2 created"
  elif [ "$c" != 200 ]; then die "GET queue/Tier2: HTTP $c"; fi
}
make_token() { # sets root's password and replaces the 'rt5-up' token; prints the token
  local pl; pl=$(mktemp --suffix=.pl); chmod 0644 "$pl"
  cat >"$pl" <<'EOF'
use strict; use warnings;
use lib '/usr/local/share/request-tracker5/lib', '/usr/share/request-tracker5/lib';
use RT; RT::LoadConfig(); RT::Init();
my ($name, $desc) = @ARGV; my $pw = <STDIN>; chomp $pw;
my $u = RT::User->new(RT->SystemUser); $u->Load($name); die "no user $name\n" unless $u->Id;
my ($ok, $m) = $u->SetPassword($pw); die "SetPassword: $m\n" unless $ok;
my $ts = RT::AuthTokens->new(RT->SystemUser); $ts->LimitOwner(VALUE => $u->Id);
while (my $t = $ts->Next) { $t->Delete if $t->Description eq $desc }
my $t = RT::AuthToken->new(RT::CurrentUser->new($u));
my ($id, $msg, $auth) = $t->Create(Owner => $u->Id, Description => $desc);
die "token create failed: $msg\n" unless $id;
print "$auth\n";
EOF
  local tok
  tok=$(cd / && printf '%s\n' "$ROOT_PW" | as_rt perl "$pl" root rt5-up 2>>"$STATE/init.log") \
    || { rm -f "$pl"; die "token creation failed (see $STATE/init.log)"; }
  rm -f "$pl"
  install -m 0600 /dev/null "$TOKEN_FILE"; printf '%s\n' "$tok" >"$TOKEN_FILE"
}
ensure_auth() {
  local tok=""; [ -s "$TOKEN_FILE" ] && tok=$(cat "$TOKEN_FILE")
  # RT re-hashes a password/token to a *higher* BcryptCost on use, never to a lower one:
  # after a cost change, set root's password and the token again at the new cost.
  [ "$(cat "$STATE/bcrypt_cost" 2>/dev/null)" = "$BCRYPT_COST" ] || tok=""
  if [ -n "$tok" ] && [ "$(code -H "Authorization: token $tok" "$REST2/queues/all")" = 200 ] \
     && [ "$(code -u "root:$ROOT_PW" "$REST2/queues/all")" = 200 ]; then
    log "existing token still valid"
  else
    make_token
    [ "$(code -H "Authorization: token $(cat "$TOKEN_FILE")" "$REST2/queues/all")" = 200 ] || die "new token rejected"
    echo "$BCRYPT_COST" >"$STATE/bcrypt_cost"
    log "token created"
  fi
}
ensure_custom_fields() { # ticket custom fields that `slasim replay` fills when they exist
  local pl out; pl=$(mktemp --suffix=.pl); chmod 0644 "$pl"
  cat >"$pl" <<'EOF'
use strict; use warnings;
use lib '/usr/local/share/request-tracker5/lib', '/usr/share/request-tracker5/lib';
use RT; RT::LoadConfig(); RT::Init();
my $lookup = RT::Ticket->CustomFieldLookupType;
for my $name (@ARGV) {
    my $cf = RT::CustomField->new(RT->SystemUser);
    $cf->LoadByName(Name => $name, LookupType => $lookup);
    unless ($cf->Id) {
        my ($ok, $m) = $cf->Create(Name => $name, Type => 'Freeform', MaxValues => 1, LookupType => $lookup,
                                   Description => 'slasim replay (rt5-up.sh)');
        die "creating custom field $name: $m\n" unless $ok;
        print "custom field $name created\n";
    }
    unless ($cf->IsAdded(0)) {   # applied to every queue (globally)
        my ($ok, $m) = $cf->AddToObject(RT::Queue->new(RT->SystemUser));
        die "applying custom field $name: $m\n" unless $ok;
        print "custom field $name applied to all queues\n";
    }
}
EOF
  out=$(cd / && as_rt perl "$pl" Channel Category 'Priority class' 2>>"$STATE/init.log") \
    || { rm -f "$pl"; die "custom fields failed (see $STATE/init.log)"; }
  rm -f "$pl"
  if [ -n "$out" ]; then printf '%s\n' "$out" | while read -r l; do log "$l"; done; else log "custom fields Channel, Category, Priority class present"; fi
}
setup_api() { ensure_auth; ensure_queue; ensure_custom_fields; }
timed api_setup setup_api
TOKEN=$(cat "$TOKEN_FILE")
TOTAL=$(awk -v a="$T_ALL" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')

ENV_TEXT="RT5_BASE_URL=http://127.0.0.1:$PORT
RT5_REST2_URL=$REST2
RT5_TOKEN=$TOKEN
RT5_ROOT_USER=root
RT5_ROOT_PASSWORD=$ROOT_PW
RT5_AGENT_USERS=$(seq -s, -f 'agent%g' 1 "$AGENTS")
RT5_AGENT_PASSWORD=$AGENT_PW
RT5_MAILGATE_URL=http://127.0.0.1:$PORT/REST/1.0/NoAuth/mail-gateway
RT5_QUEUES=General,Tier2
RT5_PID=$(read_pid)
RT5_PIDFILE=$PIDFILE"
if [ -n "$OUTFILE" ]; then
  install -m 0600 /dev/null "$OUTFILE"; printf '%s\n' "$ENV_TEXT" >"$OUTFILE"; log "wrote $OUTFILE"
fi
log "timings: ${TIMINGS[*]} total=${TOTAL}s"
# The token is a secret: it goes only into the 0600 env file, never to stdout (CI logs).
printf '%s\n' "$ENV_TEXT" | sed -e 's/^RT5_TOKEN=.*/RT5_TOKEN=<redacted; see '"${OUTFILE//\//\\/}"'>/' -e 's/^\(RT5_[A-Z_]*PASSWORD\)=.*/\1=<redacted>/'
