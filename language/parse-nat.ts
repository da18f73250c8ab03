// The parser of an external's address translation lines, `translate ...` and `publish ...`
// (docs/language.md, "Address translation (NAT)"): statements read on the grammar's cursor
// (grammar-base.ts), like the contract lines, because a `translate` line's subjects may be names
// or prefixes and its form is known only after them (`as PREFIX` or `overload [ADDRESS]`).

import type { ExternalPublish, ExternalTranslate, Token } from './ast.js';
import type { Parsed } from './grammar-base.js';
import type { PlumbGrammar } from './grammar.js';
import { NAME_TEXT } from './grammar-manage.js';
import type { Tok } from './tokens.js';

export const TRANSLATE_HINT =
  'a translation is `translate SEGMENT|HOST|PREFIX as PREFIX` (ours, as the external sees them), `translate EXTERNAL as PREFIX` (the external, as we see it) or `translate SOURCE, ... overload [ADDRESS]` (sources sharing one address)';
export const PUBLISH_HINT = 'a published server is `publish HOST : SERVICE at ADDRESS`, e.g. `publish web : https at 203.0.113.10`';

const isAddress = (t: Tok): boolean => t.kind === 'IPv4' || t.kind === 'IPv6';

/** `translate SUBJECT, ... (as PREFIX | overload [ADDRESS])`, the cursor on `translate`. */
export function parseTranslate(grammar: PlumbGrammar): Parsed<ExternalTranslate> {
  const kw = grammar.next();
  const subjects: Token[] = [];
  while (true) {
    const t = grammar.peek();
    if (isAddress(t)) {
      if (!t.text.includes('/')) grammar.fail(`a prefix with its length (e.g. \`${t.text}/32\`)`, TRANSLATE_HINT);
      subjects.push(grammar.token(grammar.next()));
    } else if (t.kind === 'Name' && !(subjects.length > 0 && (t.text === 'as' || t.text === 'overload'))) {
      subjects.push(grammar.qualifiedName('a segment, host, group, external or prefix after `translate`', TRANSLATE_HINT));
    } else {
      grammar.fail(subjects.length === 0 ? 'what is translated after `translate` (a segment, host, group, the external, or a prefix)' : 'another segment, host, group or prefix after `,`', TRANSLATE_HINT);
    }
    if (!grammar.is('Comma')) break;
    grammar.next();
    grammar.skipNewlines();
  }
  const last = subjects.at(-1)!;
  if (grammar.isKeyword('as')) {
    grammar.next();
    const t = grammar.peek();
    if (!isAddress(t)) grammar.fail('the prefix they appear as after `as` (e.g. `100.64.20.0/24`)', TRANSLATE_HINT);
    if (!t.text.includes('/')) grammar.fail(`a prefix with its length after \`as\` (e.g. \`${t.text}/32\`)`, 'a static translation maps a prefix onto another of the same length');
    const as = grammar.token(grammar.next());
    if (!grammar.atStatementEnd(true)) grammar.fail('the end of the line after the prefix', TRANSLATE_HINT);
    return { node: { kind: 'translate', subjects, as, span: grammar.span(kw.start, as.span.end.offset) }, what: '`translate` line', hint: TRANSLATE_HINT };
  }
  if (grammar.isKeyword('overload')) {
    const overload = grammar.token(grammar.next());
    let address: Token | undefined;
    const t = grammar.peek();
    if (isAddress(t)) {
      if (t.text.includes('/')) grammar.fail(`one address after \`overload\` (without a length: \`${t.text.split('/')[0]}\`)`, 'the sources share this one address');
      address = grammar.token(grammar.next());
    }
    if (!grammar.atStatementEnd(true)) grammar.fail('an address or the end of the line after `overload`', TRANSLATE_HINT);
    const end = (address ?? overload).span.end.offset;
    return { node: { kind: 'translate', subjects, overload, ...(address ? { address } : {}), span: grammar.span(kw.start, end) }, what: '`translate` line', hint: TRANSLATE_HINT };
  }
  if (grammar.is('Name') || isAddress(grammar.peek())) grammar.fail(`\`,\` after \`${last.text}\``, 'separate what is translated with commas');
  grammar.fail('`as PREFIX` or `overload` after what is translated', TRANSLATE_HINT);
}

/** `publish HOST : SERVICE at ADDRESS`, the cursor on `publish`. */
export function parsePublish(grammar: PlumbGrammar): Parsed<ExternalPublish> {
  const kw = grammar.next();
  const host = grammar.name('the host after `publish`', PUBLISH_HINT);
  let service: Token;
  if (grammar.is('Colon')) {
    grammar.next();
    service = grammar.qualifiedName('the service after `:` (e.g. `https`)', PUBLISH_HINT);
  } else if (grammar.is('IfPin') && NAME_TEXT.test(grammar.peek().text.slice(1))) {
    // `web:https` without spaces lexes as a pinned interface; here it is `web : https`.
    const pin = grammar.next();
    service = { text: pin.text.slice(1), span: grammar.span(pin.start + 1, pin.end) };
  } else {
    grammar.fail(`\`:\` and the service after the host \`${host.text}\``, PUBLISH_HINT);
  }
  if (grammar.is('Comma')) grammar.fail('`at` and the public address', 'a `publish` line publishes one service; write one line per service');
  if (!grammar.isKeyword('at')) grammar.fail('`at` and the public address after the service', PUBLISH_HINT);
  grammar.next();
  const t = grammar.peek();
  if (!isAddress(t)) grammar.fail('the public address after `at` (e.g. `203.0.113.10`)', PUBLISH_HINT);
  if (t.text.includes('/')) grammar.fail(`one address after \`at\` (without a length: \`${t.text.split('/')[0]}\`)`, PUBLISH_HINT);
  const address = grammar.token(grammar.next());
  if (!grammar.atStatementEnd(true)) grammar.fail('the end of the line after the address', PUBLISH_HINT);
  return { node: { kind: 'publish', host, service, address, span: grammar.span(kw.start, address.span.end.offset) }, what: '`publish` line', hint: PUBLISH_HINT };
}
