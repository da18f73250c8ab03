// Reads setup.sh (what setup-render.ts writes, and hand edits of the same subset) back into the
// model's interfaces and static routes. Accepted: the iproute2 batch between
// `ip -batch - <<'PLUMB_EOF'` and `PLUMB_EOF`, or the same commands as `ip ...` shell lines;
// `address`/`addr`, `replace`/`add`; comments that carry roles, descriptions and origins.

import type { Diagnostic, Span } from '../../language/diagnostic.js';
import type { InterfaceModel, InterfaceRole, StaticRouteModel } from '../../compiler/model.js';
import {
  canonicalPrefix,
  formatAddress,
  formatPrefix,
  parseAddress,
  parsePrefix,
} from '../../language/address.js';
import { diagnostic, lineSpan, readLines, restOf, wordSpan, type ConfigLine } from '../config-text.js';
import { sortStaticRoutes } from '../canonical.js';
import { parseOriginTag } from '../origin-tag.js';
import { BATCH_END, META_KEYWORDS } from './setup-render.js';
import { readText } from './text.js';

export interface SetupReadResult {
  deviceId?: string;
  origin?: Span;
  routerId?: string;
  interfaces: InterfaceModel[];
  staticRoutes: StaticRouteModel[];
  /** Both forwarding sysctls are set. */
  forwarding: boolean;
  diagnostics: Diagnostic[];
}

interface InterfaceDraft {
  model: InterfaceModel;
  commentDescription?: string;
  alias?: string;
}

const ROLES: readonly InterfaceRole[] = ['link', 'segment', 'external', 'loopback'];

export function readSetup(file: string, content: string): SetupReadResult {
  const diagnostics: Diagnostic[] = [];
  const err = (code: string, span: Span, message: string, hint?: string): void =>
    void diagnostics.push(diagnostic(code, 'error', span, message, hint));
  const result: SetupReadResult = { interfaces: [], staticRoutes: [], forwarding: false, diagnostics };
  const drafts = new Map<string, InterfaceDraft>();
  let current: InterfaceDraft | undefined;
  let routeOrigins: Span[] = [];
  let inBatch = false;
  const sawForwarding = { v4: false, v6: false };

  const draft = (name: string, span: Span): InterfaceDraft => {
    let d = drafts.get(name);
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
      drafts.set(name, d);
    }
    return d;
  };

  for (const line of readLines(file, content, { commentChars: '#' })) {
    if (line.comment !== undefined && line.words.length === 0) {
      const c = line.comment;
      const tagAt = c.lastIndexOf(' @ ');
      const origin = tagAt >= 0 ? parseOriginTag(c.slice(tagAt + 3)) : undefined;
      const head = (tagAt >= 0 ? c.slice(0, tagAt) : c).split(' ').filter((w) => w !== '');
      if (head[0] === 'device' && origin) {
        result.deviceId = head[1];
        result.origin = origin;
      } else if (head[0] === 'router-id' && head.length === 2) {
        if (parseAddress(head[1]!)?.family === 4) result.routerId = head[1]!;
        else err('R902', lineSpan(line), `\`${head[1]}\` is not an IPv4 router id`);
      } else if (head[0] === 'interface' && origin && head.length >= 3) {
        current = draft(head[1]!, origin);
        current.model.origin = origin;
        readInterfaceMeta(head.slice(2), current.model, lineSpan(line), err);
      } else if (head[0] === 'description' && current) {
        current.commentDescription = readText(c.slice('description '.length));
      } else if (head[0] === 'route' && origin) {
        routeOrigins.push(origin);
      }
      continue;
    }
    if (line.words.length === 0) continue;
    const first = line.words[0]!.text;
    if (!inBatch) {
      const text = restOf(line, 0);
      if (text === 'set -eu' || text === 'set -e') continue;
      if (first === 'sysctl') {
        if (/(^| )net\.ipv4\.ip_forward=1( |$)/.test(text)) sawForwarding.v4 = true;
        if (/(^| )net\.ipv6\.conf\.all\.forwarding=1( |$)/.test(text)) sawForwarding.v6 = true;
        continue;
      }
      if (text === `ip -batch - <<'${BATCH_END}'`) {
        inBatch = true;
        continue;
      }
      if (first === 'ip' && line.words.length > 1) {
        readCommand(line, 1);
        continue;
      }
      err(
        'R901',
        lineSpan(line),
        `unknown command \`${text}\``,
        'setup.sh holds iproute2 commands and the forwarding sysctls',
      );
      continue;
    }
    if (first === BATCH_END && line.words.length === 1) {
      inBatch = false;
      continue;
    }
    readCommand(line, 0);
  }
  if (inBatch)
    err(
      'R902',
      { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
      `the batch is never closed by \`${BATCH_END}\``,
    );
  result.forwarding = sawForwarding.v4 && sawForwarding.v6;
  if (!result.forwarding) {
    err(
      'R904',
      { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
      'setup.sh does not enable IPv4 and IPv6 forwarding',
      'add `sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1`',
    );
  }
  result.interfaces = [...drafts.values()]
    .map((d) => ({ ...d.model, description: d.commentDescription ?? d.alias ?? d.model.description }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  result.staticRoutes = sortStaticRoutes(result.staticRoutes);
  return result;

  function readCommand(line: ConfigLine, from: number): void {
    const w = line.words.slice(from);
    const t = w.map((x) => x.text);
    const span = lineSpan(line);
    if (t[0] === 'link' && t[1] === 'set') {
      const rest = t[2] === 'dev' ? 3 : 2;
      const name = t[rest];
      if (name === undefined) return err('R902', span, '`link set` without an interface');
      const d = draft(name, span);
      const args = t.slice(rest + 1);
      if (args.length === 1 && args[0] === 'up') return;
      if (args.length === 2 && args[0] === 'alias') {
        d.alias = readText(args[1]!);
        return;
      }
      return err(
        'R901',
        span,
        `unknown link setting \`${args.join(' ')}\``,
        'setup.sh sets interfaces `up` and their `alias`',
      );
    }
    if (
      (t[0] === 'address' || t[0] === 'addr') &&
      (t[1] === 'replace' || t[1] === 'add') &&
      t[3] === 'dev' &&
      t.length === 5
    ) {
      const p = parsePrefix(t[2]!.includes('/') ? t[2]! : `${t[2]}/${t[2]!.includes(':') ? 128 : 32}`);
      if (!p)
        return err('R902', wordSpan(line, w[2]!), `\`${t[2]}\` is not an interface address with its length`);
      draft(t[4]!, span).model.addresses.push(formatPrefix(p));
      return;
    }
    if (t[0] === 'route' && (t[1] === 'replace' || t[1] === 'add') && t[2] !== undefined) {
      const prefix = canonicalPrefix(t[2]);
      if (!prefix || prefix !== formatPrefix(parsePrefix(t[2])!)) {
        return err(
          'R902',
          wordSpan(line, w[2]!),
          `\`${t[2]}\` is not a network prefix (with its length, no host bits)`,
        );
      }
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
          if (!a) return err('R902', wordSpan(line, w[i + 1]!), `\`${t[i + 1]}\` is not an address`);
          hop.nextHop = formatAddress(a);
          i += 2;
        } else if (t[i] === 'dev' && hop && t[i + 1] !== undefined) {
          hop.interface = t[i + 1]!;
          i += 2;
        } else if (t[i] === 'metric' && t[i + 1] !== undefined && /^\d+$/.test(t[i + 1]!)) {
          distance = Number(t[i + 1]);
          i += 2;
        } else {
          return err(
            'R901',
            wordSpan(line, w[i]!),
            `unknown route argument \`${t[i]}\``,
            'routes have `via ADDRESS`, `dev NAME`, `metric N` or `nexthop ...` groups',
          );
        }
      }
      if (hops.length === 0 || hops.some((h) => h.nextHop === undefined && h.interface === undefined)) {
        return err('R902', span, 'a route without a next hop or an interface');
      }
      const origins = routeOrigins.length === hops.length ? routeOrigins : hops.map(() => span);
      routeOrigins = [];
      hops.forEach((h, k) => {
        result.staticRoutes.push({
          prefix,
          ...h,
          ...(distance !== undefined ? { distance } : {}),
          origin: origins[k]!,
        });
      });
      return;
    }
    err(
      'R901',
      span,
      `unknown command \`${t.join(' ')}\``,
      'setup.sh holds `link set`, `address replace` and `route replace` commands',
    );
  }
}

function readInterfaceMeta(
  words: string[],
  model: InterfaceModel,
  span: Span,
  err: (code: string, span: Span, message: string) => void,
): void {
  const role = words[0] as InterfaceRole;
  if (!ROLES.includes(role))
    return err('R902', span, `\`${words[0]}\` is not an interface role (link, segment, external, loopback)`);
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
      return err('R902', span, `unknown interface detail \`${words.slice(i).join(' ')}\``);
    }
  }
}
