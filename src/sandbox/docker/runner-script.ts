// PID 1 of a docker sandbox: a command runner that reads requests on the container's stdin and
// answers on its stdout, so that running a command costs a fork and two pipe writes instead of a
// `docker exec` (create, start, attach, inspect: 150-400 ms through dockerd on a loaded 2-CPU
// host). It only moves bytes; every rule stays where it was:
// - the command still runs under exec-wrapper.ts (cd, then `kill -9 -1` after it), as the
//   container's non-root user, with the container's env plus the request's (what `docker exec`
//   gives), and a command that outlives its wrapper is still killed by it (init is exempt);
// - the host keeps the wall clock: on timeout it kills from a second `docker exec` (KILL_ALL) or
//   restarts the container, exactly as before; the runner just sees its child die;
// - output is capped here too (the host caps again: the runner is inside the sandbox, and its
//   answers are as untrusted as the command's output).
//
// Perl because it is in every Debian-based image (perl-base is essential) and can do PID 1's job
// (reap orphans) and multiplex pipes without a module outside the core. An image without perl
// gets the old init (a shell that only reaps), answers the first request with `absent`, and its
// commands go through `docker exec` as before (sandbox.ts).
//
// Framing, both directions: a field is `<decimal length>:<bytes>`. A request is the fields `run`,
// its id, the output cap, stdin, whether there is stdin (0/1), the env count and entries, the
// argv count and entries (encodeRun); a reply is `tfr1 ` + the fields id, exit code, truncated
// (0/1), stdout, stderr. `ping` is answered with `tfr1 ready`. The id is random per request: a
// reply written into PID 1's stdout by a process inside the sandbox (it runs as the same user)
// cannot be taken for the answer to a later command.

const PERL = String.raw`
use strict; use warnings; use POSIX (); use IO::Select;
$SIG{TERM} = sub { exit 0 };
$SIG{PIPE} = 'IGNORE';
my %base = %ENV;
binmode STDIN; binmode STDOUT; $| = 1;
sub reap { 1 while waitpid(-1, POSIX::WNOHANG()) > 0 }
sub rd { my ($n) = @_; my $b = ''; while (length($b) < $n) { my $r = sysread(STDIN, $b, $n - length($b), length($b)); if (!defined $r) { next if $!{EINTR}; exit 0 } exit 0 if $r == 0; } $b }
sub field { my $len = ''; while (1) { my $c = rd(1); last if $c eq ':'; exit 0 unless $c =~ /\d/ && length($len) < 12; $len .= $c } rd($len) }
sub out { my ($s) = @_; my $o = 0; while ($o < length $s) { my $w = syswrite(STDOUT, $s, length($s) - $o, $o); if (!defined $w) { next if $!{EINTR}; exit 0 } $o += $w } }
sub f { length($_[0]) . ':' . $_[0] }
my $sel = IO::Select->new(\*STDIN);
while (1) {
  reap();
  next unless $sel->can_read(1);
  my $kind = field();
  if ($kind eq 'ping') { out("tfr1 ready\n"); next }
  exit 0 unless $kind eq 'run';
  my $id = field(); my $cap = field(); my $stdin = field(); my $hasIn = field();
  my $nenv = field(); my %env = %base;
  for (1 .. $nenv) { my $kv = field(); my ($k, $v) = split /=/, $kv, 2; $env{$k} = $v // '' }
  my $nargv = field(); my @argv = map { field() } 1 .. $nargv;
  pipe(my $or, my $ow) or die; pipe(my $er, my $ew) or die; pipe(my $ir, my $iw) or die;
  my $pid = fork();
  if (!defined $pid) { out('tfr1 ' . f($id) . f(127) . f(0) . f('') . f("tracefix-runner: fork failed: $!\n")); next }
  if ($pid == 0) {
    close $or; close $er; close $iw;
    POSIX::dup2(fileno($ir), 0); POSIX::dup2(fileno($ow), 1); POSIX::dup2(fileno($ew), 2);
    %ENV = %env; $SIG{TERM} = 'DEFAULT'; $SIG{PIPE} = 'DEFAULT';
    { no warnings 'exec'; exec { $argv[0] } @argv; } print STDERR "tracefix-runner: cannot run $argv[0]: $!\n"; POSIX::_exit(127);
  }
  close $ow; close $ew; close $ir;
  # stdin from a child of its own: a command that never reads it cannot block the runner.
  if ($hasIn eq '1' && length $stdin) { my $f = fork(); if (defined $f && $f == 0) { close $or; close $er; local $SIG{PIPE} = 'DEFAULT'; syswrite($iw, $stdin); POSIX::_exit(0) } }
  close $iw;
  my %buf = (fileno($or) => '', fileno($er) => ''); my $cut = 0;
  my $s = IO::Select->new($or, $er);
  while ($s->count) {
    for my $h ($s->can_read) {
      my $n = sysread($h, my $chunk, 65536);
      if (!defined $n) { next if $!{EINTR}; $s->remove($h); next }
      if ($n == 0) { $s->remove($h); next }
      my $room = $cap - length $buf{fileno $h};
      if ($n > $room) { $cut = 1; $chunk = substr($chunk, 0, $room > 0 ? $room : 0) }
      $buf{fileno $h} .= $chunk;
    }
  }
  my $st;
  while (1) { my $w = waitpid($pid, 0); if ($w == $pid) { $st = $?; last } if ($w == -1 && !$!{EINTR}) { $st = 255 << 8; last } }
  my $code = ($st & 127) ? 128 + ($st & 127) : ($st >> 8);
  out('tfr1 ' . f($id) . f($code) . f($cut) . f($buf{fileno $or}) . f($buf{fileno $er}));
  close $or; close $er;
}
`;

/** What runs when the image has no perl: the old init, plus one answer so the host stops asking. */
const FALLBACK = 'trap "exit 0" TERM; { IFS= read -r _ && printf "tfr1 absent\\n"; } & while :; do sleep 86400 & wait; done';

/** PID 1's argv for `/bin/sh -c`: the runner when perl exists, else the reaping shell. */
export const RUNNER_INIT = `if command -v perl >/dev/null 2>&1; then exec perl -e '${PERL.replace(/'/g, "'\\''")}'; fi; ${FALLBACK}`;

/** One length-prefixed field (its length in bytes). */
export function encodeField(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([Buffer.from(`${bytes.length}:`, 'ascii'), bytes]);
}

export interface RunnerRequest {
  /** Echoed in the reply. */
  id: string;
  argv: readonly string[];
  /** Variables over the container's own env (already filtered by the caller). */
  env: readonly string[];
  stdin?: string;
  outputBytes: number;
}

export function encodeRun(request: RunnerRequest): Buffer {
  const fields: (string | Buffer)[] = ['run', request.id, String(request.outputBytes), request.stdin ?? '', request.stdin === undefined ? '0' : '1'];
  fields.push(String(request.env.length), ...request.env, String(request.argv.length), ...request.argv);
  return Buffer.concat(fields.map(encodeField));
}

export const PING = encodeField('ping');
