// The connections of isolate probes (probe.ts): one long-running process per source namespace
// that makes each of them as the socat or ping process of its own did, instead of a process per
// probe. An isolate probe waits out its one second whatever happens, and most of them are
// dropped; under load the start of a process per probe (fork, `ip netns exec`, the tool's start,
// its end) added 0.5-1 s to each (the joint lab's 224 probes took 1.5-2 s each at load 15-19).
// Each connection keeps the meaning and the wait it had as its own process:
//  - TCP: a connection from the source address (and port, when given) with the wait as its
//    connect timeout; once made, the probe's line is sent, the sending side closed, and what the
//    far end sends is read until it closes or the wait has passed since (socat `-T W -t W`);
//  - UDP: the probe's line in one datagram from the source address, and what comes back read
//    for the wait (socat `-T W -t W`);
//  - ICMP echo: requests every 0.3 s from the source address until two replies or the wait
//    (`ping -c 2 -i 0.3 -w W`: it succeeds with two replies).
// What a failure says is socat's own line for it (`E connecting to AF=2 10.0.0.1:22: Connection
// timed out`), so that a probe's detail in the report reads as before. Python 3 runs it (python.ts).

import type { ChildProcess } from 'node:child_process';
import { LabError, assertSafeWord, spawnPiped } from './netns.js';
import type { ProbeSpec } from './probe.js';
import { PYTHON, PYTHON_CHECKSUM, pythonArgs } from './python.js';

/** One isolate connection as the prober takes it. */
export interface IsolateTry {
  protocol: 'tcp' | 'udp' | 'icmp';
  source: string;
  destination: string;
  /** The destination port (TCP, UDP); 0 for an ICMP echo. */
  port: number;
  /** A fixed source port (TCP, UDP), or undefined for the kernel's pick. */
  sourcePort?: number;
  /** Seconds: the connect timeout, and the wait for the far end's answer. */
  wait: number;
}

/** What came of it, as the tool's own process would have said: what it read, its error line. */
export interface IsolateAnswer {
  /** TCP, UDP: the bytes read from the far end; ICMP: empty. */
  stdout: string;
  /** The tool's error line (empty when none). */
  stderr: string;
  /** ICMP: both echo replies came back (ping's exit 0); TCP, UDP: false (read `stdout`). */
  echoed: boolean;
}

/**
 * The Python program: reads `ID PROTOCOL SOURCE DESTINATION PORT SOURCE_PORT WAIT` lines
 * (SOURCE_PORT 0 for the kernel's pick), starts each at once, and writes one JSON line per probe
 * as it ends: `{"id": ID, "out": TEXT, "err": LINE, "echoed": BOOL}`. Ends once its input has
 * ended and every probe with it.
 */
export const ISOLATE_PROBER_SCRIPT = String.raw`
import errno, json, os, selectors, socket, struct, sys, time

MESSAGE = b'plumb-probe\n'
sel = selectors.DefaultSelector()
running = set()

${PYTHON_CHECKSUM}

def where(family, address, port):
    # socat's own form: AF=2 10.0.0.1:22, AF=10 [fd00:0000:...:0001]:22, and the address length.
    if family == socket.AF_INET6:
        groups = struct.unpack('!8H', socket.inet_pton(family, address))
        return 'AF=10 [%s]:%d' % (':'.join('%04x' % g for g in groups), port), 28
    return 'AF=2 %s:%d' % (address, port), 16

def reply(probe_id, out, err, echoed=False):
    sys.stdout.write(json.dumps({'id': probe_id, 'out': out.decode('utf-8', 'replace'), 'err': err, 'echoed': echoed}) + '\n')
    sys.stdout.flush()

class Try:
    def __init__(self, words):
        self.id, self.proto, self.source, self.destination = int(words[0]), words[1], words[2], words[3]
        self.port, self.sport, self.wait = int(words[4]), int(words[5]), float(words[6])
        self.family = socket.AF_INET6 if ':' in self.destination else socket.AF_INET
        self.sock, self.out, self.connected, self.replies, self.seq = None, b'', False, 0, 0
        self.deadline = time.monotonic() + self.wait

    def start(self):
        running.add(self)
        try:
            if self.proto == 'tcp':
                s = self.sock = socket.socket(self.family, socket.SOCK_STREAM)
                s.setblocking(False)
                self.bind()
                e = s.connect_ex((self.destination, self.port))
                if e == 0:
                    return self.made()
                if e != errno.EINPROGRESS:
                    return self.fail_connect(e)
                sel.register(s, selectors.EVENT_WRITE, self)
            elif self.proto == 'udp':
                s = self.sock = socket.socket(self.family, socket.SOCK_DGRAM)
                s.setblocking(False)
                self.bind()
                e = s.connect_ex((self.destination, self.port))
                if e != 0:
                    return self.fail_connect(e)
                try:
                    s.send(MESSAGE)
                except OSError as x:
                    return self.end('E write(5, 0x0, %d): %s' % (len(MESSAGE), os.strerror(x.errno)))
                sel.register(s, selectors.EVENT_READ, self)
            else:
                v6 = self.family == socket.AF_INET6
                s = self.sock = socket.socket(self.family, socket.SOCK_RAW, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
                s.setblocking(False)
                s.bind((self.source, 0))
                self.ident = (os.getpid() + id(self)) & 0xffff
                self.peer = socket.inet_pton(self.family, self.destination)
                self.next_echo = time.monotonic()
                sel.register(s, selectors.EVENT_READ, self)
                self.echo()
        except OSError as x:
            said = x.strerror or ''
            self.end(said if said.startswith('E ') else 'E %s: %s' % (self.proto, os.strerror(x.errno or errno.EIO)))

    def bind(self):
        try:
            self.sock.bind((self.source, self.sport))
        except OSError as x:
            text, length = where(self.family, self.source, self.sport)
            raise OSError(x.errno, 'E bind(5, {%s}, %d): %s' % (text, length, os.strerror(x.errno)))

    def fail_connect(self, e):
        text, length = where(self.family, self.destination, self.port)
        self.end('E connect(5, %s, %d): %s' % (text, length, os.strerror(e)))

    def made(self):
        # Connected: the line, then the sending side closed; the answer is read for the wait.
        self.connected = True
        self.deadline = time.monotonic() + self.wait
        try:
            self.sock.sendall(MESSAGE)
            self.sock.shutdown(socket.SHUT_WR)
        except OSError as x:
            return self.end('E write(5, 0x0, %d): %s' % (len(MESSAGE), os.strerror(x.errno)))
        try:
            sel.modify(self.sock, selectors.EVENT_READ, self)
        except (KeyError, ValueError):
            sel.register(self.sock, selectors.EVENT_READ, self)

    def echo(self):
        v6 = self.family == socket.AF_INET6
        self.seq += 1
        body = struct.pack('!BBHHH', 128 if v6 else 8, 0, 0, self.ident, self.seq) + b'\0' * 56
        if not v6:
            body = body[:2] + struct.pack('!H', checksum(body)) + body[4:]
        try:
            self.sock.sendto(body, (self.destination, 0))
        except OSError:
            pass
        self.next_echo += 0.3

    def ready(self):
        s = self.sock
        if self.proto == 'tcp' and not self.connected:
            e = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            return self.made() if e == 0 else self.fail_connect(e)
        if self.proto == 'icmp':
            v6 = self.family == socket.AF_INET6
            while True:
                try:
                    packet, peer = s.recvfrom(65535)
                except OSError:
                    return
                icmp = packet if v6 else packet[(packet[0] & 0x0f) * 4:]
                if len(icmp) >= 8 and socket.inet_pton(self.family, peer[0].split('%')[0]) == self.peer:
                    kind, _, _, ident, _ = struct.unpack('!BBHHH', icmp[:8])
                    if kind == (129 if v6 else 0) and ident == self.ident:
                        self.replies += 1
                        if self.replies >= 2:
                            return self.end('', True)
        try:
            data = s.recv(65536)
        except BlockingIOError:
            return
        except OSError as x:
            return self.end('E read(5, 0x0, 8192): %s' % os.strerror(x.errno))
        if data:
            self.out += data
        elif self.proto == 'tcp':
            self.end('')

    def expired(self, now):
        if self.proto == 'icmp':
            if now >= self.deadline:
                return self.end('')
            while self.next_echo <= now:
                self.echo()
            return
        if self.proto == 'tcp' and not self.connected:
            text, _ = where(self.family, self.destination, self.port)
            return self.end('E connecting to %s: %s' % (text, os.strerror(errno.ETIMEDOUT)))
        self.end('')

    def next_time(self):
        return min(self.deadline, self.next_echo) if self.proto == 'icmp' else self.deadline

    def end(self, err, echoed=False):
        if self not in running:
            return
        running.discard(self)
        if self.sock is not None:
            try:
                sel.unregister(self.sock)
            except (KeyError, ValueError):
                pass
            self.sock.close()
        reply(self.id, self.out, err, echoed)

stdin = sys.stdin.fileno()
os.set_blocking(stdin, False)
sel.register(stdin, selectors.EVENT_READ, None)
pending, reading = b'', True
while reading or running:
    timeout = None
    if running:
        timeout = max(0.0, min(t.next_time() for t in running) - time.monotonic())
    for key, _ in sel.select(timeout):
        if key.data is None:
            try:
                chunk = os.read(stdin, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                reading = False
                sel.unregister(stdin)
                continue
            pending += chunk
            *lines, pending = pending.split(b'\n')
            for line in lines:
                words = line.decode().split()
                if len(words) == 7:
                    Try(words).start()
        elif key.data in running:
            try:
                key.data.ready()
            except OSError as x:
                key.data.end('E read(5, 0x0, 8192): %s' % os.strerror(x.errno or errno.EIO))
    now = time.monotonic()
    for t in [t for t in running if t.next_time() <= now]:
        t.expired(now)
`;

/** Seconds past a probe's wait before its prober counts as stuck (the tool's own time limit was wait + 5). */
const STUCK_SECONDS = 5;

/** One prober: a process in one namespace, its probes in flight by id. */
interface Prober {
  child: ChildProcess;
  waiting: Map<
    number,
    { resolve: (a: IsolateAnswer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >;
  stderr: string;
}

/** The isolate probers of one run of probes, started as their namespaces' first probe comes. */
export class IsolateProbers {
  private readonly probers = new Map<string, Prober>();
  private nextId = 0;

  /** Makes one isolate connection from namespace `ns`. */
  connect(ns: string, t: IsolateTry): Promise<IsolateAnswer> {
    const prober = this.proberIn(ns);
    const id = this.nextId++;
    return new Promise<IsolateAnswer>((resolve, reject) => {
      // As the tool's own process was killed at its time limit: nothing read, no error line.
      const timer = setTimeout(
        () => {
          prober.waiting.delete(id);
          resolve({ stdout: '', stderr: '', echoed: false });
        },
        (t.wait + STUCK_SECONDS) * 1000,
      );
      prober.waiting.set(id, { resolve, reject, timer });
      prober.child.stdin?.write(
        `${id} ${t.protocol} ${t.source} ${t.destination} ${t.port} ${t.sourcePort ?? 0} ${t.wait}\n`,
      );
    });
  }

  /** Ends every prober: its input closed, and the process killed (nothing of it is waited for any more). */
  close(): void {
    for (const p of this.probers.values()) {
      for (const w of p.waiting.values()) clearTimeout(w.timer);
      p.waiting.clear();
      p.child.stdin?.end();
      p.child.kill('SIGKILL');
    }
    this.probers.clear();
  }

  private proberIn(ns: string): Prober {
    const known = this.probers.get(ns);
    if (known) return known;
    const child = spawnPiped(ns, PYTHON, pythonArgs(ISOLATE_PROBER_SCRIPT));
    const prober: Prober = { child, waiting: new Map(), stderr: '' };
    this.probers.set(ns, prober);
    let buffer = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const a = JSON.parse(line) as { id: number; out: string; err: string; echoed: boolean };
        const w = prober.waiting.get(a.id);
        if (!w) continue;
        clearTimeout(w.timer);
        prober.waiting.delete(a.id);
        w.resolve({ stdout: a.out, stderr: a.err, echoed: a.echoed });
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (prober.stderr += chunk));
    // A prober that ends with probes in flight (no python3, a namespace gone) is the lab's error.
    const ended = (why: string): void => {
      if (this.probers.get(ns) === prober) this.probers.delete(ns);
      for (const w of prober.waiting.values()) {
        clearTimeout(w.timer);
        w.reject(
          new LabError(`the probes' prober in ${ns} ${why}: ${prober.stderr.trim().split('\n').pop() ?? ''}`),
        );
      }
      prober.waiting.clear();
    };
    child.on('error', (e) => ended(`could not start (${e.message})`));
    child.on('exit', (code, signal) => ended(`ended (${signal ?? `exit ${code}`})`));
    child.stdin?.on('error', () => undefined);
    return prober;
  }
}

/**
 * Whether a probe's connection goes to the run's isolate prober (isolate-prober.ts) rather than a
 * socat or ping process of its own: an isolate's (its own short wait) to an endpoint, TCP or UDP
 * to a port, or an ICMP echo.
 */
export function proberTakes(spec: ProbeSpec): boolean {
  const p = spec.packet;
  if (spec.kind !== 'connect' || spec.waitSeconds === undefined || spec.toDevice === true) return false;
  if (p.protocol === 6 || p.protocol === 17) return p.destinationPort !== undefined;
  return (p.protocol === 1 && (p.icmpType === undefined || p.icmpType === 8)) || (p.protocol === 58 && (p.icmpType === undefined || p.icmpType === 128));
}

/** An isolate connection made by the prober, read as its socat or ping process's outcome. */
export async function proberConnect(spec: ProbeSpec, probers: IsolateProbers): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = spec.packet;
  const protocol = p.protocol === 6 ? 'tcp' : p.protocol === 17 ? 'udp' : 'icmp';
  const a = await probers.connect(spec.fromNs, {
    protocol,
    source: assertSafeWord(p.source),
    destination: assertSafeWord(p.destination),
    port: protocol === 'icmp' ? 0 : p.destinationPort!,
    ...(p.sourcePort !== undefined && protocol !== 'icmp' ? { sourcePort: p.sourcePort } : {}),
    wait: spec.waitSeconds!,
  });
  // ping's exit status: 0 with both replies; socat's stands only for a device's TCP (not taken).
  return { code: protocol === 'icmp' && !a.echoed ? 1 : 0, stdout: a.stdout, stderr: a.stderr };
}
