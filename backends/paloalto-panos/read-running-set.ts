// The `set` form of a running PAN-OS configuration (`set cli config-output-format set`, then
// `show`) turned back into the XML tree that `show config running` prints, so that one reader
// reads both. A `set` line is a path of element names, entry names and a value; which token is
// which depends on the place, as PAN-OS's schema says: the places Plumb writes are listed here
// (entry lists, member lists, choices), and any other place is read as nested elements whose
// last token is the value, which is enough to list it as unmanaged by its lines. Single-vsys
// firewalls print vsys objects without `vsys vsys1`; both forms are read. Every element keeps the
// lines that made it (for the unmanaged list) and the span of the first.

import type { Span } from '../../language/diagnostic.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { Reporter } from '../reporter.js';
import { unescapeText } from '../text-escape.js';
import type { XmlElement } from './xml.js';

/** Places (element paths, `*` for an entry's name) whose next token is an entry name. */
const ENTRY_LISTS: RegExp[] = [
  /^(devices|vsys)$/,
  /(^|\/)mgt-config\/users$/,
  /(^|\/)interface\/(ethernet|aggregate-ethernet)$/,
  /(^|\/)units$/,
  /(^|\/)(layer3|\*)\/ip$/,
  /(^|\/)ipv6\/address$/,
  /^(vsys\/\*\/)?(zone|address|address-group|service|application|profile-group|schedule|tag|application-group|service-group)$/,
  /(^|\/)network\/virtual-router$/,
  /(^|\/)static-route$/,
  /(^|\/)area$/,
  /(^|\/)area\/\*\/interface$/,
  /(^|\/)(redist-profile|redist-profile-ipv6|peer-group|peer|redist-rules|address-prefix|export-rules|auth-profile)$/,
  /(^|\/)auth-profile\/\*\/md5$/,
  /(^|\/)policy\/(import|export)\/rules$/,
  /(^|\/)security\/rules$/,
  /(^|\/)rulebase\/[^/]+\/rules$/,
  /(^|\/)profiles\/[^/]+$/,
  /(^|\/)permitted-ip$/,
];

/** Places whose value is a member list (`[ a b ]`, or one bare member). */
const MEMBER_LISTS: RegExp[] = [
  /rules\/\*\/(from|to|source|destination|source-user|category|application|service|source-hip|destination-hip|hip-profiles|tag|used-by)$/,
  /address-group\/\*\/static$/,
  /zone\/\*\/network\/(layer3|layer2|virtual-wire|tap|tunnel)$/,
  /virtual-router\/\*\/interface$/,
  /import\/network\/interface$/,
  /filter\/(type|destination|interface|nexthop)$/,
  /profile-setting\/group$/,
  /^(vsys\/\*\/)?(address|address-group|service|application)\/\*\/tag$/,
];

/** Places whose value names an element (`<type><normal/></type>`), not a text. */
const CHOICES: RegExp[] = [
  /area\/\*\/type$/,
  /interface\/\*\/link-type$/,
  /redist-profile(-ipv6)?\/\*\/action$/,
  /policy\/(import|export)\/rules\/\*\/action$/,
  /peer-group\/\*\/type$/,
  /static-route\/\*\/route-table$/,
  /static-route\/\*\/nexthop$/,
  /ecmp\/algorithm$/,
  /override$/,
];

/** The device-level sections; every other first word (after `set`) is a vsys object. */
const DEVICE_SECTIONS = new Set(['network', 'deviceconfig', 'platform']);
const ROOT_SECTIONS = new Set(['mgt-config', 'shared']);

/** The words of a `set` line: bare, quoted, or `[` `]`. */
export function setWords(line: string): string[] | undefined {
  const out: string[] = [];
  const re = /\s*(?:"([^"]*)"|(\[|\])|([^\s"[\]]+))/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < line.length && (m = re.exec(line)) !== null) {
    at = re.lastIndex;
    out.push(m[1] ?? m[2] ?? m[3]!);
  }
  return line.slice(at).trim() === '' ? out : undefined;
}

function element(name: string, span: Span, attrs: Record<string, string> = {}): XmlElement {
  return { kind: 'element', name, attrs, children: [], span };
}

export interface SetTree {
  root?: XmlElement;
  /** The 1-based lines that made or went through each element. */
  lines: Map<XmlElement, number[]>;
}

export function setToXml(file: string, content: string, reporter: Reporter): SetTree {
  const lines = new Map<XmlElement, number[]>();
  const start = { line: 1, column: 1, offset: 0 };
  const root = element('config', { file, start, end: start });
  const dev = element('entry', { file, start, end: start }, { name: 'localhost.localdomain' });
  const devices = element('devices', { file, start, end: start });
  devices.children.push(dev);
  root.children.push(devices);
  let vsys: XmlElement | undefined;
  const touch = (e: XmlElement, line: number): void => {
    const l = lines.get(e);
    if (!l) lines.set(e, [line]);
    else if (l[l.length - 1] !== line) l.push(line);
  };
  const kid = (parent: XmlElement, name: string, span: Span, attrs: Record<string, string> = {}): XmlElement => {
    const found = parent.children.find((c): c is XmlElement => c.kind === 'element' && c.name === name && (attrs.name === undefined || c.attrs.name === attrs.name));
    if (found) return found;
    const e = element(name, span, attrs);
    parent.children.push(e);
    return e;
  };
  let offset = 0;
  content.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const text = raw.trim();
    const span: Span = { file, start: { line, column: 1, offset }, end: { line, column: raw.length + 1, offset: offset + raw.length } };
    offset += raw.length + 1;
    if (text === '' || text.startsWith('#')) return;
    const words = setWords(text);
    if (!words || words[0] !== 'set' || words.length < 2) {
      reporter.error(Codes.readerUnknownCommand, span, 'not a `set` command', 'The set form has one `set …` command per line (`set cli config-output-format set`, then `show`).');
      return;
    }
    let rest = words.slice(1);
    let at: XmlElement;
    let path: string[];
    if (ROOT_SECTIONS.has(rest[0]!)) {
      at = root;
      path = [];
    } else if (DEVICE_SECTIONS.has(rest[0]!)) {
      at = dev;
      path = [];
    } else {
      let name = 'vsys1';
      if (rest[0] === 'vsys' && rest.length > 2) {
        name = rest[1]!;
        rest = rest.slice(2);
      }
      const list = kid(dev, 'vsys', span);
      touch(list, line);
      vsys = kid(list, 'entry', span, { name });
      at = vsys;
      path = [];
    }
    touch(at, line);
    const matches = (res: RegExp[]): boolean => res.some((r) => r.test(path.join('/')));
    for (let k = 0; k < rest.length; k++) {
      const word = rest[k]!;
      const last = k === rest.length - 1;
      if (matches(MEMBER_LISTS)) {
        const values = word === '[' ? rest.slice(k + 1, rest.indexOf(']', k)) : [word];
        for (const v of values) {
          const m = element('member', span);
          m.text = unescapeText(v);
          m.stored = v;
          at.children.push(m);
          touch(m, line);
        }
        return;
      }
      if (matches(ENTRY_LISTS)) {
        at = kid(at, 'entry', span, { name: unescapeText(word) });
        touch(at, line);
        path.push('*');
        continue;
      }
      if (last && k > 0 && !matches(CHOICES)) {
        at.text = unescapeText(word);
        at.stored = word;
        return;
      }
      at = kid(at, word, span);
      touch(at, line);
      path.push(word);
    }
  });
  if (!vsys && lines.size === 0) return { lines };
  return { root, lines };
}
