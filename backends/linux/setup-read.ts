// Reads setup.sh (what setup-render.ts writes, and hand edits of the same subset) back into the
// model's interfaces and static routes. Accepted: the iproute2 batch between
// `ip -batch - <<'PLUMB_EOF'` and `PLUMB_EOF`, or the same commands as `ip [-4|-6] ...` shell lines;
// `address`/`addr`, `replace`/`add`; comments that carry roles, descriptions and origins.

import { diagnostic, type Diagnostic, type Span } from '../../language/diagnostic.js';
import type { InterfaceModel, StaticRouteModel } from '../../compiler/model.js';
import { formatAddress, formatPrefix, parseAddress, parsePrefix, type Prefix } from '../../language/address.js';
import { lineSpan, plainWords, splitSetupLine, wordSpan, type SetupLine, type SetupWord } from './setup-lines.js';
import { lineTagAt, lineTagStart, originTagAt } from './tag-read.js';
import { BATCH_END } from './setup-render.js';
import { readText } from './text.js';
import { checkIpv6, isLinkLocal, readFlush, readSysctl, type InterfaceIpv6 } from './setup-read-ipv6.js';
import { Codes } from '../../language/diagnostics/index.js';
import { newRpFilterRead, type RpFilterRead } from './setup-read-urpf.js';
import { readVlanCommand, type VlanDevice } from './vlan.js';
import { readInterfaceMeta } from './setup-read-meta.js';
import { readRoute, readWrittenRoute, sortedRoutes, type ErrorAt } from './setup-read-routes.js';
import { learnPair, readFramedPairs, type PairState, type RouteFrame } from './setup-read-pairs.js';

export interface SetupReadResult {
  deviceId?: string;
  origin?: Span;
  routerId?: string;
  interfaces: InterfaceModel[];
  staticRoutes: StaticRouteModel[];
  /** Both forwarding sysctls are set. */
  forwarding: boolean;
  /** The `rp_filter` sysctls (setup-read-urpf.ts applies them with nftables.conf's IPv6 rules). */
  rpFilter: RpFilterRead;
  /** The VLAN devices created, by name. */
  vlans: Map<string, VlanDevice>;
  diagnostics: Diagnostic[];
}

interface InterfaceDraft {
  model: InterfaceModel;
  commentDescription?: string;
  alias?: string;
}

/**
 * Reads setup.sh. The lines of a static route as setup-render.ts writes them are read in place
 * (`writtenRouteLine`), and both at once when they are a frame met before (setup-read-pairs.ts);
 * `inPlace: false` reads every line through `text`, as the tests do to hold them to the same answers.
 */
export function readSetup(file: string, content: string, options: { inPlace?: boolean } = {}): SetupReadResult {
  const reader = new SetupReader(file);
  const inPlace = options.inPlace ?? true;
  let offset = 0;
  for (let number = 1; ; number++) {
    if (inPlace) {
      const pairEnd = reader.framedPairs(content, offset);
      if (pairEnd >= 0) {
        // two lines a pair read: the last route line ends the file or a line break follows it
        number += 2 * reader.framedPairCount - 1;
        if (pairEnd >= content.length) break;
        offset = pairEnd + 1;
        continue;
      }
    }
    const lineBreak = content.indexOf('\n', offset);
    const stop = lineBreak < 0 ? content.length : lineBreak;
    if (!inPlace || !reader.writtenRouteLine(content, offset, stop)) {
      // a `\r` before the line break is not part of the line
      const text = content.slice(offset, stop > offset && content.charCodeAt(stop - 1) === 0x0d ? stop - 1 : stop);
      reader.text(text, number, offset);
    }
    if (lineBreak < 0) break;
    offset = lineBreak + 1;
  }
  return reader.finish();
}

/** What setup.sh has said so far, read line by line in order. */
class SetupReader implements PairState {
  private readonly diagnostics: Diagnostic[] = [];
  readonly staticRoutes: StaticRouteModel[] = [];
  private readonly drafts = new Map<string, InterfaceDraft>();
  private deviceId?: string;
  private origin?: Span;
  private routerId?: string;
  /** The interface the last `# interface` comment opened (its `# description` follows). */
  private current?: InterfaceDraft;
  /** The origins of the `# route` comments above the next route command, one per next hop. */
  routeOrigins: Span[] = [];
  /** Per static route, its prefix as a number (setup-read-routes.ts). */
  readonly routeKeys: number[] = [];
  lastNextHop = '';
  lastInterface = '';
  lastHop = '';
  lastHopNextHop: string | undefined = undefined;
  lastHopInterface: string | undefined = undefined;
  lastFrame: RouteFrame | undefined = undefined;
  framedPairCount = 0;
  /** The last `# route` comment read in place: its tag's start and its end. */
  private commentTag = -1;
  private commentEnd = -1;
  /** Between `ip -batch - <<'PLUMB_EOF'` and `PLUMB_EOF`. */
  private inBatch = false;
  private readonly sawForwarding = { v4: false, v6: false };
  /** IPv6 settings by interface name (setup-read-ipv6.ts). */
  private readonly ipv6Settings = new Map<string, InterfaceIpv6>();
  private readonly rpFilter = newRpFilterRead();
  private readonly vlans = new Map<string, VlanDevice>();
  /**
   * The parents of `vlans`: a box may have hundreds of VLANs, each port brought up by its own
   * line. A VLAN device's name is `PARENT.ID` (vlan.ts), so one created again under its name
   * has the same parent, and no parent ever leaves the set.
   */
  private readonly vlanParents = new Set<string>();

  constructor(private readonly file: string) {}

  readonly error: ErrorAt = (code, span, message, hint) =>
    void this.diagnostics.push(diagnostic(code, span, message, { hint }));

  private readonly ipv6 = (name: string): InterfaceIpv6 => {
    let s = this.ipv6Settings.get(name);
    if (!s) this.ipv6Settings.set(name, (s = {}));
    return s;
  };

  /**
   * The line from `from` to `end` of `content` when it is one of the two lines of a static route
   * exactly as setup-render.ts writes them, a `# route` comment whose origin tag names the last
   * path read or a one-hop `route replace` command in the batch: read in place, as `text` reads
   * it, and true. False, with nothing read, for any other line.
   */
  writtenRouteLine(content: string, from: number, end: number): boolean {
    if (content.startsWith('# route ', from)) {
      const origin = lineTagAt(content, from, end);
      if (!origin) return false;
      this.routeOrigins.push(origin);
      this.commentTag = lineTagStart();
      this.commentEnd = end;
      return true;
    }
    if (!this.inBatch || !content.startsWith('route replace ', from)) return false;
    // the comment of this route alone, read in place on the line before
    const commented = this.routeOrigins.length === 1 && this.commentEnd === from - 1;
    if (!readWrittenRoute(this, content, from + 14, end)) return false;
    if (commented) learnPair(this, content, this.commentTag, from);
    return true;
  }

  /** `readFramedPairs` at `from`, in the batch; -1 elsewhere. */
  framedPairs(content: string, from: number): number {
    return this.inBatch ? readFramedPairs(this, content, from) : -1;
  }

  /**
   * One line (`number` from 1, starting at `offset` in the file). The two lines of nearly every
   * static route, a `# route` comment and a plain `route replace` command in the batch, are read
   * from the text; the others are split into words first.
   */
  text(text: string, number: number, offset: number): void {
    if (text.startsWith('# route ')) {
      // a `# route` comment: only its origin is read
      const tagAt = text.lastIndexOf(' @ ');
      const origin = tagAt >= 0 ? originTagAt(text, tagAt + 3) : undefined;
      if (origin) this.routeOrigins.push(origin);
      return;
    }
    if (this.inBatch && text.startsWith('route ')) {
      const t = plainWords(text);
      if (t && (t[1] === 'replace' || t[1] === 'add') && t[2] !== undefined)
        return readRoute(this, () => splitSetupLine(this.file, number, offset, text), t, 0);
    }
    this.line(splitSetupLine(this.file, number, offset, text));
  }

  private line(line: SetupLine): void {
    if (line.comment !== undefined && line.texts.length === 0) return this.commentLine(line, line.comment);
    if (line.texts.length === 0) return;
    if (!this.inBatch) return this.shellLine(line);
    if (line.texts[0]! === BATCH_END && line.texts.length === 1) {
      this.inBatch = false;
      return;
    }
    this.command(line, 0);
  }

  finish(): SetupReadResult {
    const fileStart: Span = {
      file: this.file,
      start: { line: 1, column: 1, offset: 0 },
      end: { line: 1, column: 1, offset: 0 },
    };
    if (this.inBatch)
      this.error(Codes.readerMalformedValue, fileStart, `the batch is never closed by \`${BATCH_END}\``);
    const forwarding = this.sawForwarding.v4 && this.sawForwarding.v6;
    if (!forwarding) {
      this.error(
        Codes.readerInexpressible,
        fileStart,
        'setup.sh does not enable IPv4 and IPv6 forwarding',
        'add `sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1`',
      );
    }
    const interfaces = [...this.drafts.values()]
      .map((d) => ({ ...d.model, description: d.commentDescription ?? d.alias ?? d.model.description }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    checkIpv6(interfaces, this.ipv6Settings, fileStart, (code, span, message, hint, severity) =>
      void this.diagnostics.push(diagnostic(code, span, message, { hint, ...(severity ? { severity } : {}) })),
    );
    return {
      ...(this.deviceId !== undefined ? { deviceId: this.deviceId } : {}),
      ...(this.origin !== undefined ? { origin: this.origin } : {}),
      ...(this.routerId !== undefined ? { routerId: this.routerId } : {}),
      interfaces,
      staticRoutes: sortedRoutes(this.staticRoutes, this.routeKeys),
      forwarding,
      rpFilter: this.rpFilter,
      vlans: this.vlans,
      diagnostics: this.diagnostics,
    };
  }

  private draft(name: string, span: Span): InterfaceDraft {
    let d = this.drafts.get(name);
    if (!d) {
      d = {
        model: {
          name,
          description: '',
          role: name === 'lo' ? 'loopback' : 'link',
          addresses: [],
          origin: span,
        },
      };
      this.drafts.set(name, d);
    }
    return d;
  }

  // A comment line: the device, the router id, an interface's role and description, a route's
  // origin (`... @ FILE:L:C-L:C [S,E]`).
  private commentLine(line: SetupLine, comment: string): void {
    const tagAt = comment.lastIndexOf(' @ ');
    const origin = tagAt >= 0 ? originTagAt(comment, tagAt + 3) : undefined;
    // A `# route` comment (one per static route) needs only its origin: its words are not split.
    if (comment.startsWith('route ')) {
      if (origin) this.routeOrigins.push(origin);
      return;
    }
    const head = (tagAt >= 0 ? comment.slice(0, tagAt) : comment).split(' ').filter((w) => w !== '');
    if (head[0] === 'device' && origin) {
      this.deviceId = head[1];
      this.origin = origin;
    } else if (head[0] === 'router-id' && head.length === 2) {
      if (parseAddress(head[1]!)?.family === 4) this.routerId = head[1]!;
      else this.error(Codes.readerMalformedValue, lineSpan(line), `\`${head[1]}\` is not an IPv4 router id`);
    } else if (head[0] === 'interface' && origin && head.length >= 3) {
      this.current = this.draft(head[1]!, origin);
      this.current.model.origin = origin;
      readInterfaceMeta(head.slice(2), this.current.model, lineSpan(line), this.error);
    } else if (head[0] === 'description' && this.current) {
      this.current.commentDescription = readText(comment.slice('description '.length));
    } else if (head[0] === 'route' && origin) {
      this.routeOrigins.push(origin);
    }
  }

  // A shell line outside the batch: the shell's options, the forwarding sysctls, the batch's
  // start, or one `ip ...` command.
  private shellLine(line: SetupLine): void {
    const first = line.texts[0]!;
    const text = line.texts.join(' ');
    if (text === 'set -eu' || text === 'set -e') return;
    if (first === 'sysctl') return readSysctl(line, this.ipv6, this.sawForwarding, this.rpFilter, this.error);
    const vlan = readVlanCommand(text);
    if (vlan === 'malformed')
      return this.error(Codes.readerMalformedValue, lineSpan(line), 'a VLAN device is `PORT.N` on PORT with id N, N from 1 to 4094');
    if (vlan) {
      this.vlans.set(vlan.name, vlan);
      this.vlanParents.add(vlan.parent);
      return;
    }
    if (text === `ip -batch - <<'${BATCH_END}'`) {
      this.inBatch = true;
      return;
    }
    // `ip -4 ...`/`ip -6 ...`: the family option changes nothing the addresses do not say.
    if (first === 'ip' && /^-[46]$/.test(line.texts[1] ?? '') && line.texts.length > 2)
      return this.command(line, 2);
    if (first === 'ip' && line.texts.length > 1) return this.command(line, 1);
    this.error(
      Codes.readerUnknownCommand,
      lineSpan(line),
      `unknown command \`${text}\``,
      'setup.sh holds iproute2 commands and the forwarding sysctls',
    );
  }

  // One iproute2 command (in the batch, or after `ip` on a shell line), from word `from` on.
  private command(line: SetupLine, from: number): void {
    // the batch's commands (nearly all) are the whole line: its words are not copied
    const t = from === 0 ? line.texts : line.texts.slice(from);
    // the words' positions, only for a diagnostic or a link-local address
    const words = (): SetupWord[] => (from === 0 ? line.words : line.words.slice(from));
    // A route makes the line's span only when it needs it.
    if (t[0] === 'route' && (t[1] === 'replace' || t[1] === 'add') && t[2] !== undefined)
      return readRoute(this, () => line, t, from);
    const span = lineSpan(line);
    if (t[0] === 'link' && t[1] === 'set') return this.linkSet(t, span);
    if (
      (t[0] === 'address' || t[0] === 'addr') &&
      (t[1] === 'replace' || t[1] === 'add') &&
      t[3] === 'dev' &&
      (t.length === 5 || (t.length === 6 && t[5] === 'nodad'))
    ) {
      const p = parsePrefix(t[2]!.includes('/') ? t[2]! : `${t[2]}/${t[2]!.includes(':') ? 128 : 32}`);
      if (!p)
        return this.error(
          Codes.readerMalformedValue,
          wordSpan(line, words()[2]!),
          `\`${t[2]}\` is not an interface address with its length`,
        );
      if (isLinkLocal(t[2]!)) return this.linkLocal(t[4]!, p, line, words()[2]!);
      this.draft(t[4]!, span).model.addresses.push(formatPrefix(p));
      return;
    }
    if (readFlush(t, span, this.ipv6)) return;
    this.error(
      Codes.readerUnknownCommand,
      span,
      `unknown command \`${t.join(' ')}\``,
      'setup.sh holds `link set`, `address replace` and `route replace` commands',
    );
  }

  // `link set [dev] NAME up` and `link set [dev] NAME alias TEXT`.
  private linkSet(t: readonly string[], span: Span): void {
    const rest = t[2] === 'dev' ? 3 : 2;
    const name = t[rest];
    if (name === undefined)
      return this.error(Codes.readerMalformedValue, span, '`link set` without an interface');
    const args = t.slice(rest + 1);
    if (args.length === 1 && args[0] === 'up' && !this.drafts.has(name) && this.vlanParents.has(name))
      return; // the port of a VLAN device: up, and otherwise not configured
    const d = this.draft(name, span);
    if (args.length === 1 && args[0] === 'up') {
      this.ipv6(name).up ??= span;
      return;
    }
    if (args.length === 2 && args[0] === 'addrgenmode' && args[1] === 'none') {
      this.ipv6(name).addrgenNone = span;
      return;
    }
    if (args.length === 2 && args[0] === 'alias') {
      d.alias = readText(args[1]!);
      return;
    }
    this.error(
      Codes.readerUnknownCommand,
      span,
      `unknown link setting \`${args.join(' ')}\``,
      'setup.sh sets interfaces `up`, their `alias` and `addrgenmode none`',
    );
  }

  // `address replace fe80::1/64 dev NAME [nodad]`: the interface's one link-local address.
  private linkLocal(name: string, p: Prefix, line: SetupLine, word: SetupWord): void {
    const span = lineSpan(line);
    const model = this.draft(name, span).model;
    const address = formatAddress(p);
    if (p.length !== 64)
      return this.error(
        Codes.readerInexpressible,
        wordSpan(line, word),
        `the link-local address ${address}/${p.length} of ${name} is not a /64`,
        'Plumb\'s link-local addresses are in fe80::/64, as the kernel\'s own are',
      );
    if (model.linkLocal !== undefined && model.linkLocal !== address)
      return this.error(
        Codes.readerInexpressible,
        span,
        `${name} has a second link-local address ${address} (besides ${model.linkLocal})`,
        'an interface of the model has one link-local address',
      );
    model.linkLocal = address;
    this.ipv6(name).linkLocal = span;
  }
}
