// Reads setup.sh (what setup-render.ts writes, and hand edits of the same subset) back into the
// model's interfaces and static routes. Accepted: the iproute2 batch between
// `ip -batch - <<'PLUMB_EOF'` and `PLUMB_EOF`, or the same commands as `ip [-4|-6] ...` shell lines;
// `address`/`addr`, `replace`/`add`; comments that carry roles, descriptions and origins.

import { diagnostic, type Diagnostic, type Span } from '../../language/diagnostic.js';
import type { InterfaceModel, InterfaceRole, StaticRouteModel } from '../../compiler/model.js';
import {
  canonicalPrefix,
  formatAddress,
  formatPrefix,
  parseAddress,
  parsePrefix,
  type Prefix,
} from '../../language/address.js';
import { lineSpan, readLines, restOf, wordSpan, type ConfigLine, type Word } from '../config-text.js';
import { sortStaticRoutes } from '../canonical.js';
import { parseOriginTag } from '../origin-tag.js';
import { BATCH_END, BLACKHOLE_TYPE, META_KEYWORDS } from './setup-render.js';
import { readText } from './text.js';
import { checkIpv6, isLinkLocal, readFlush, readSysctl, type InterfaceIpv6 } from './setup-read-ipv6.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { newRpFilterRead, type RpFilterRead } from './setup-read-urpf.js';
import { readVlanCommand, type VlanDevice } from './vlan.js';

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

const ROLES: readonly InterfaceRole[] = ['link', 'segment', 'external', 'loopback'];

type ErrorAt = (code: DiagnosticCode, span: Span, message: string, hint?: string) => void;

export function readSetup(file: string, content: string): SetupReadResult {
  const reader = new SetupReader(file);
  for (const line of readLines(file, content, { commentChars: '#' })) reader.line(line);
  return reader.finish();
}

/** What setup.sh has said so far, read line by line in order. */
class SetupReader {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly staticRoutes: StaticRouteModel[] = [];
  private readonly drafts = new Map<string, InterfaceDraft>();
  private deviceId?: string;
  private origin?: Span;
  private routerId?: string;
  /** The interface the last `# interface` comment opened (its `# description` follows). */
  private current?: InterfaceDraft;
  /** The origins of the `# route` comments above the next route command, one per next hop. */
  private routeOrigins: Span[] = [];
  /** Between `ip -batch - <<'PLUMB_EOF'` and `PLUMB_EOF`. */
  private inBatch = false;
  private readonly sawForwarding = { v4: false, v6: false };
  /** IPv6 settings by interface name (setup-read-ipv6.ts). */
  private readonly ipv6Settings = new Map<string, InterfaceIpv6>();
  private readonly rpFilter = newRpFilterRead();
  private readonly vlans = new Map<string, VlanDevice>();

  constructor(private readonly file: string) {}

  readonly error: ErrorAt = (code, span, message, hint) =>
    void this.diagnostics.push(diagnostic(code, span, message, { hint }));

  private readonly ipv6 = (name: string): InterfaceIpv6 => {
    let s = this.ipv6Settings.get(name);
    if (!s) this.ipv6Settings.set(name, (s = {}));
    return s;
  };

  line(line: ConfigLine): void {
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
      staticRoutes: sortStaticRoutes(this.staticRoutes),
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
  private commentLine(line: ConfigLine, comment: string): void {
    const tagAt = comment.lastIndexOf(' @ ');
    const origin = tagAt >= 0 ? parseOriginTag(comment.slice(tagAt + 3)) : undefined;
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
  private shellLine(line: ConfigLine): void {
    const first = line.texts[0]!;
    const text = restOf(line, 0);
    if (text === 'set -eu' || text === 'set -e') return;
    if (first === 'sysctl') return readSysctl(line, this.ipv6, this.sawForwarding, this.rpFilter, this.error);
    const vlan = readVlanCommand(text);
    if (vlan === 'malformed')
      return this.error(Codes.readerMalformedValue, lineSpan(line), 'a VLAN device is `PORT.N` on PORT with id N, N from 1 to 4094');
    if (vlan) return void this.vlans.set(vlan.name, vlan);
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
  private command(line: ConfigLine, from: number): void {
    const t = line.texts.slice(from);
    // the words' positions, only for a diagnostic or a link-local address
    const words = (): Word[] => line.words.slice(from);
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
    if (t[0] === 'route' && (t[1] === 'replace' || t[1] === 'add') && t[2] !== undefined)
      return this.route(line, t, words);
    this.error(
      Codes.readerUnknownCommand,
      span,
      `unknown command \`${t.join(' ')}\``,
      'setup.sh holds `link set`, `address replace` and `route replace` commands',
    );
  }

  // `link set [dev] NAME up` and `link set [dev] NAME alias TEXT`.
  private linkSet(t: string[], span: Span): void {
    const rest = t[2] === 'dev' ? 3 : 2;
    const name = t[rest];
    if (name === undefined)
      return this.error(Codes.readerMalformedValue, span, '`link set` without an interface');
    const args = t.slice(rest + 1);
    if (args.length === 1 && args[0] === 'up' && !this.drafts.has(name) && [...this.vlans.values()].some((v) => v.parent === name))
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
  private linkLocal(name: string, p: Prefix, line: ConfigLine, word: Word): void {
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

  // `route replace PREFIX [via A] [dev I] [metric N]`, or with `nexthop ...` groups (ECMP): one
  // static route per next hop, each with the origin of its `# route` comment. `route replace
  // blackhole PREFIX [metric N]` is a discard route.
  private route(line: ConfigLine, allTexts: string[], allWords: () => Word[]): void {
    const discard = allTexts[2] === BLACKHOLE_TYPE;
    const t = discard ? [...allTexts.slice(0, 2), ...allTexts.slice(3)] : allTexts;
    // the words' positions, only for a diagnostic
    const lazyWords = (): Word[] => {
      const w = allWords();
      return discard ? [...w.slice(0, 2), ...w.slice(3)] : w;
    };
    const span = lineSpan(line);
    const prefix = t[2] === undefined ? undefined : canonicalPrefix(t[2]);
    if (!prefix || prefix !== formatPrefix(parsePrefix(t[2]!)!)) {
      return this.error(
        Codes.readerMalformedValue,
        t[2] !== undefined ? wordSpan(line, lazyWords()[2]!) : span,
        `\`${t[2] ?? ''}\` is not a network prefix (with its length, no host bits)`,
      );
    }
    if (discard) return this.discardRoute(t, lazyWords, line, prefix);
    const hops: { nextHop?: string; interface?: string }[] = [];
    let distance: number | undefined;
    let i = 3;
    let hop: { nextHop?: string; interface?: string } | undefined;
    const multipath = t[3] === 'nexthop';
    if (!multipath) {
      hop = {};
      hops.push(hop);
    }
    while (i < t.length) {
      if (t[i] === 'nexthop' && multipath) {
        hop = {};
        hops.push(hop);
        i++;
      } else if (t[i] === 'via' && hop && t[i + 1] !== undefined) {
        const a = parseAddress(t[i + 1]!);
        if (!a)
          return this.error(
            Codes.readerMalformedValue,
            wordSpan(line, lazyWords()[i + 1]!),
            `\`${t[i + 1]}\` is not an address`,
          );
        hop.nextHop = formatAddress(a);
        i += 2;
      } else if (t[i] === 'dev' && hop && t[i + 1] !== undefined) {
        hop.interface = t[i + 1]!;
        i += 2;
      } else if (t[i] === 'metric' && t[i + 1] !== undefined && /^\d+$/.test(t[i + 1]!)) {
        distance = Number(t[i + 1]);
        i += 2;
      } else {
        return this.error(
          Codes.readerUnknownCommand,
          wordSpan(line, lazyWords()[i]!),
          `unknown route argument \`${t[i]}\``,
          'routes have `via ADDRESS`, `dev NAME`, `metric N` or `nexthop ...` groups',
        );
      }
    }
    if (hops.length === 0 || hops.some((h) => h.nextHop === undefined && h.interface === undefined)) {
      return this.error(Codes.readerMissingPart, span, 'a route without a next hop or an interface');
    }
    const bare = hops.find((h) => h.nextHop !== undefined && h.interface === undefined && isLinkLocal(h.nextHop));
    if (bare)
      return this.error(
        Codes.readerMissingPart,
        span,
        `the link-local next hop ${bare.nextHop} without its interface`,
        'a link-local address is only an address on one link: add `dev NAME`',
      );
    const origins = this.routeOrigins.length === hops.length ? this.routeOrigins : hops.map(() => span);
    this.routeOrigins = [];
    hops.forEach((h, k) => {
      this.staticRoutes.push({
        prefix,
        ...h,
        ...(distance !== undefined ? { distance } : {}),
        origin: origins[k]!,
      });
    });
  }

  /** The rest of `route replace blackhole PREFIX`: nothing, or `metric N`. */
  private discardRoute(t: string[], words: () => Word[], line: ConfigLine, prefix: string): void {
    const metric = t[3] === 'metric' && t.length === 5 && /^\d+$/.test(t[4]!) ? Number(t[4]) : undefined;
    if (t.length > 3 && metric === undefined)
      return this.error(
        Codes.readerUnknownCommand,
        wordSpan(line, words()[3]!),
        `unknown argument \`${t[3]}\` of a blackhole route`,
        'a blackhole route has only `metric N`',
      );
    const origin = this.routeOrigins.length === 1 ? this.routeOrigins[0]! : lineSpan(line);
    this.routeOrigins = [];
    this.staticRoutes.push({ prefix, discard: true, ...(metric !== undefined ? { distance: metric } : {}), origin });
  }
}

function readInterfaceMeta(words: string[], model: InterfaceModel, span: Span, err: ErrorAt): void {
  const role = words[0] as InterfaceRole;
  if (!ROLES.includes(role))
    return err(
      Codes.readerMalformedValue,
      span,
      `\`${words[0]}\` is not an interface role (link, segment, external, loopback)`,
    );
  model.role = role;
  const keywords = META_KEYWORDS;
  let i = 1;
  // `segment web`, `external internet`: the role's own name follows it directly.
  if ((role === 'segment' || role === 'external') && words[1] !== undefined && !keywords.includes(words[1])) {
    model[role] = words[1];
    i = 2;
  }
  while (i < words.length) {
    const k = words[i];
    if (k === 'to' && words[i + 2] !== undefined) {
      model.peer = { device: words[i + 1]!, interface: words[i + 2]! };
      i += 3;
    } else if ((k === 'segment' || k === 'external') && words[i + 1] !== undefined) {
      model[k] = words[i + 1]!;
      i += 2;
    } else if (k === 'vlan' && /^\d+$/.test(words[i + 1] ?? '')) {
      model.vlan = Number(words[i + 1]);
      i += 2;
    } else {
      return err(
        Codes.readerMalformedValue,
        span,
        `unknown interface detail \`${words.slice(i).join(' ')}\``,
      );
    }
  }
}
