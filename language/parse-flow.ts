// Rules and assertions: `SRC, ... -> DST, ... [: SERVICE, ...]`, and an assertion's `via`.

import type { AssertDecl, DeviceRef, PolicyRule, Token } from './ast.js';
import type { Cursor } from './parse-cursor.js';
import { parseNameList } from './parse-statements.js';

interface Flow {
  sources: Token[];
  destinations: Token[];
  services: Token[];
  end: number;
}

/** `SRC, ... -> DST, ... [: SERVICE, ...]`, shared by rules and assertions. */
function parseFlow(c: Cursor, inBlock: boolean, what: string): Flow {
  const sources = parseNameList(c, `a source (a segment, host, external, group or \`any\`) after \`${what}\``);
  if (!c.is('Arrow')) {
    const last = sources[sources.length - 1]!.text;
    c.fail(
      `\`,\` or \`->\` after the source \`${last}\``,
      c.is('Name') ? 'separate several sources with commas' : `write \`${what} ${last} -> DESTINATION\``,
    );
  }
  c.expectContinuing('Arrow', '`->`');
  const destinations = parseNameList(c, 'a destination after `->`');
  let end = destinations[destinations.length - 1]!.span.end.offset;
  const services: Token[] = [];
  // `db:https` without spaces lexes as a pinned interface; in a rule it is `db : https`.
  if (c.is('IfPin')) {
    const pin = c.next();
    c.pushBack(
      { kind: 'Colon', text: ':', start: pin.start, end: pin.start + 1 },
      { kind: /^[A-Za-z](?:[A-Za-z0-9_]|-(?![->]))*$/.test(pin.text.slice(1)) ? 'Name' : 'Stray', text: pin.text.slice(1), start: pin.start + 1, end: pin.end },
    );
  }
  if (c.is('Colon')) {
    c.expectContinuing('Colon', '`:`');
    services.push(...parseNameList(c, 'a service name after `:`', 'name a service here, e.g. `https`; declare others with `service NAME = tcp 8080`'));
    end = services[services.length - 1]!.span.end.offset;
    if (c.is('Name') && c.peek().text !== 'via') {
      c.fail(`\`,\` or the end of the line after the service \`${services[services.length - 1]!.text}\``, 'separate several services with commas');
    }
    if (c.is('Int') || c.is('PortRange')) {
      c.fail(
        `\`,\` or the end of the line after the service \`${services[services.length - 1]!.text}\``,
        'a rule names its services: declare `service NAME = tcp 8080` and write NAME here',
      );
    }
  } else if (c.is('Name') && c.peek().text !== 'via') {
    c.fail(`\`,\`, \`:\` or the end of the line after the destination \`${destinations[destinations.length - 1]!.text}\``, 'separate several destinations with commas; services follow a `:`');
  }
  return { sources, destinations, services, end };
}

export function parseRule(c: Cursor, inBlock: boolean): PolicyRule {
  const actionTok = c.next();
  const action = c.token(actionTok);
  const flow = parseFlow(c, inBlock, actionTok.text);
  const via = c.isKeyword('via');
  c.endStatement(
    inBlock,
    'rule',
    via ? 'a rule has no `via`: state the path as `assert reach SRC -> DST via DEVICE`' : 'a rule is `allow|deny SRC, ... -> DST, ... [: SERVICE, ...]`',
  );
  return {
    kind: 'rule',
    action,
    sources: flow.sources,
    destinations: flow.destinations,
    services: flow.services,
    span: c.span(actionTok.start, flow.end),
  };
}

export function parseAssert(c: Cursor, inBlock: boolean): AssertDecl {
  const kw = c.next();
  const t = c.peek();
  if (t.kind !== 'Name' || (t.text !== 'reach' && t.text !== 'isolate')) {
    c.fail('`reach` or `isolate` after `assert`', 'an assertion is `assert reach|isolate SRC -> DST [: SERVICE] [via DEVICE]`');
  }
  const property = c.token(c.next());
  const flow = parseFlow(c, inBlock, `assert ${property.text}`);
  let end = flow.end;
  let via: DeviceRef | undefined;
  if (c.isKeyword('via')) {
    c.next();
    via = c.expectDeviceRef('the device after `via` (e.g. `fra1.fw1`)');
    end = via.span.end.offset;
  }
  c.endStatement(inBlock, 'assertion', 'an assertion is `assert reach|isolate SRC -> DST [: SERVICE] [via DEVICE]`');
  return {
    kind: 'assert',
    property,
    sources: flow.sources,
    destinations: flow.destinations,
    services: flow.services,
    ...(via ? { via } : {}),
    span: c.span(kw.start, end),
  };
}
