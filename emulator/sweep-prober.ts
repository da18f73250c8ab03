// The exposure sweep's prober: one process per source namespace running all of that namespace's
// probes at once (at most PROBER_IN_FLIGHT in flight), instead of a socat or ping process per
// probe. Each probe keeps the meaning and the wait it had as its own process:
//  - TCP: a connection from the source address (port chosen by the kernel); open when the
//    handshake completes within the wait (socat's connect-timeout), closed on a reset, an ICMP
//    error or the wait passing.
//  - UDP: one datagram `plumb-sweep` on a socket bound to the source address and connected to
//    the destination address and port; open when its echo comes back or the socket reports
//    "connection refused" (an ICMP port unreachable) within the wait, closed otherwise.
//  - ICMP: one echo request from the source address on a raw socket (as `ping -I SOURCE -c 1`);
//    open when the matching echo reply (same identifier and sequence, from the destination) comes
//    back within the wait.
// A probe given a retry wait is tried once more with that wait when its first try saw nothing
// (sweep-udp-icmp.ts says which). Readiness is taken before the waits that ran out at each turn
// of the loop, so a prober that the machine's load keeps waiting still counts every answer that
// arrived meanwhile. Python 3 runs it (python.ts; see echo-server.ts).

import { execIn, LabError } from './netns.js';
import { PYTHON, PYTHON_CHECKSUM, pythonArgs } from './python.js';
import type { SweepProtocol } from './sweep.js';

/** One probe as the prober takes it. */
export interface ProberTry {
  protocol: SweepProtocol;
  source: string;
  destination: string;
  /** The destination port (TCP, UDP); 0 for an ICMP echo. */
  port: number;
  /** Seconds the first try waits for its answer. */
  wait: number;
  /** Seconds of a second try after a first that saw nothing; 0 for none. */
  retryWait: number;
}

/** Probes of one prober in flight at once (most wait out their time: filtered ones get no answer). */
export const PROBER_IN_FLIGHT = 128;

/**
 * The Python program: reads `PROTOCOL SOURCE DESTINATION PORT WAIT RETRY` lines, one per probe,
 * and writes `INDEX 1` (open) or `INDEX 0` per probe, INDEX counting the lines from 0, then `done`.
 */
export const PROBER_SCRIPT = String.raw`
import errno, os, selectors, socket, struct, sys, time

IN_FLIGHT = int(sys.argv[1])
MESSAGE = b'plumb-sweep\n'
sel = selectors.DefaultSelector()

${PYTHON_CHECKSUM}

class Try:
    def __init__(self, index, probe, wait, retry):
        self.index, self.probe, self.wait, self.retry = index, probe, wait, retry
        self.sock = None

    def start(self):
        proto, source, destination, port = self.probe
        v6 = ':' in destination
        family = socket.AF_INET6 if v6 else socket.AF_INET
        self.deadline = time.monotonic() + self.wait
        if proto == 'tcp':
            s = self.sock = socket.socket(family, socket.SOCK_STREAM)
            s.setblocking(False)
            s.bind((source, 0))
            e = s.connect_ex((destination, port))
            if e not in (0, errno.EINPROGRESS):
                return False
            sel.register(s, selectors.EVENT_WRITE, self)
        elif proto == 'udp':
            s = self.sock = socket.socket(family, socket.SOCK_DGRAM)
            s.setblocking(False)
            s.bind((source, 0))
            s.connect((destination, port))
            s.send(MESSAGE)
            sel.register(s, selectors.EVENT_READ, self)
        else:
            s = self.sock = socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
            s.setblocking(False)
            s.bind((source, 0))
            # An identifier per probe, a sequence number per try: a second try does not take the
            # first one's late reply (as a second ping process would not).
            self.ident, self.seq = (os.getpid() + self.index) & 0xffff, 1 if self.retry > 0 else 2
            self.peer = socket.inet_pton(family, destination)
            request = 128 if v6 else 8
            body = struct.pack('!BBHHH', request, 0, 0, self.ident, self.seq) + MESSAGE
            if not v6:
                body = body[:2] + struct.pack('!H', checksum(body)) + body[4:]
            s.sendto(body, (destination, 0))
            sel.register(s, selectors.EVENT_READ, self)
        return None

    def answer(self):
        """True: open; False: closed; None: nothing decisive yet."""
        proto, source, destination, port = self.probe
        s = self.sock
        if proto == 'tcp':
            return s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
        if proto == 'udp':
            try:
                return True if b'plumb-sweep' in s.recv(65535) else None
            except ConnectionRefusedError:
                return True
            except BlockingIOError:
                return None
        v6 = ':' in destination
        while True:
            try:
                packet, peer = s.recvfrom(65535)
            except BlockingIOError:
                return None
            icmp = packet if v6 else packet[(packet[0] & 0x0f) * 4:]
            if len(icmp) >= 8 and socket.inet_pton(s.family, peer[0].split('%')[0]) == self.peer:
                kind, _, _, ident, seq = struct.unpack('!BBHHH', icmp[:8])
                if kind == (129 if v6 else 0) and ident == self.ident and seq == self.seq:
                    return True

    def close(self):
        if self.sock is not None:
            try:
                sel.unregister(self.sock)
            except (KeyError, ValueError):
                pass
            self.sock.close()
            self.sock = None

probes = []
for line in sys.stdin:
    w = line.split()
    if len(w) == 6:
        probes.append(((w[0], w[1], w[2], int(w[3])), float(w[4]), float(w[5])))

results = [False] * len(probes)
waiting = [Try(i, p, wait, retry) for i, (p, wait, retry) in enumerate(probes)]
waiting.reverse()
running = set()

def finish(t, is_open):
    t.close()
    if is_open or t.retry <= 0:
        results[t.index] = bool(is_open)
    else:
        waiting.append(Try(t.index, t.probe, t.retry, 0))

while waiting or running:
    while waiting and len(running) < IN_FLIGHT:
        t = waiting.pop()
        try:
            started = t.start()
        except OSError:
            started = False
        if started is False:
            finish(t, False)
        else:
            running.add(t)
    if not running:
        continue
    timeout = max(0.0, min(t.deadline for t in running) - time.monotonic())
    for key, _ in sel.select(timeout):
        t = key.data
        if t not in running:
            continue
        try:
            is_open = t.answer()
        except OSError:
            is_open = False
        if is_open is not None:
            running.discard(t)
            finish(t, is_open)
    now = time.monotonic()
    for t in [t for t in running if t.deadline <= now]:
        running.discard(t)
        finish(t, False)

sys.stdout.write(''.join('%d %d\n' % (i, r) for i, r in enumerate(results)) + 'done\n')
`;

/**
 * Runs one source namespace's probes in one prober process: per probe, whether it opened. A
 * prober that cannot run (no python3, a namespace gone) is the lab's error, not a probe closed.
 */
export async function runProber(ns: string, tries: readonly ProberTry[], inFlight = PROBER_IN_FLIGHT): Promise<boolean[]> {
  if (tries.length === 0) return [];
  const input = tries.map((t) => `${t.protocol} ${t.source} ${t.destination} ${t.port} ${t.wait} ${t.retryWait}\n`).join('');
  // Every try's wait, as if they ran one group of `inFlight` after another, and ample room for a loaded machine.
  const waits = tries.reduce((s, t) => s + t.wait + t.retryWait, 0);
  const r = await execIn(ns, PYTHON, pythonArgs(PROBER_SCRIPT, [String(inFlight)]), {
    input,
    timeoutMs: Math.ceil(60 + (4 * waits) / inFlight) * 1000,
  });
  const lines = r.stdout.split('\n');
  if (r.code !== 0 || lines[tries.length] !== 'done') {
    throw new LabError(`the sweep's prober in ${ns} failed${r.timedOut ? ' (timed out)' : ''}: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  }
  return tries.map((_, i) => lines[i] === `${i} 1`);
}
