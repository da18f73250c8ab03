// The chevrotain parser of the .plumb language: rules and assertions (`SRC, ... -> DST, ...
// [: SERVICE, ...]`), the lines of an external, and the headers of the blocks, on top of the
// one-line declarations (grammar-statements.ts) and the `manage` line (grammar-manage.ts). Each statement is one rule, invoked by the
// driver (parser.ts), which resynchronises after a failed statement.

import type { IToken } from 'chevrotain';
import type { AssertDecl, DeviceRef, ExternalAnnounce, ExternalAsn, ExternalAttach, ExternalPrefixes, FailureElement, NameRef, PolicyRule, Token, UnderClause } from './ast.js';
import { Codes } from './diagnostics/index.js';
import { Clauses, KW, T, type Parsed } from './grammar-base.js';
import { NAME_TEXT } from './grammar-manage.js';
import { ProfilesGrammar } from './grammar-profiles.js';
import { SyntaxFailure } from './parse-messages.js';

interface Flow {
  sources: NameRef[];
  destinations: NameRef[];
  services: Token[];
  end: number;
}

/** What a block's header has read so far: kept even when the header fails. */
export interface BlockHeader {
  name?: Token;
  description?: Token;
  open?: IToken;
  unterminated?: boolean;
}

const UNDER_HINT = 'an assertion is `assert reach|isolate SRC -> DST [: SERVICE] [via DEVICE] [under N failures | under failure of LINK|DEVICE, ...]`';

const isAddress = (t: { kind: string }): boolean => t.kind === 'IPv4' || t.kind === 'IPv6';

export class PlumbGrammar extends ProfilesGrammar {
  /** `SRC, ... -> DST, ... [: SERVICE, ...]`, shared by rules and assertions. */
  readonly flow = this.RULE('flow', (what: string): Flow => {
    const sources = this.SUBRULE(this.refList, { ARGS: [`a source (a segment, host, external, group or \`any\`) after \`${what}\``] });
    this.ACTION(() => {
      if (!this.is('Arrow')) {
        const last = sources[sources.length - 1]!.text;
        this.fail(`\`,\` or \`->\` after the source \`${last}\``, this.is('Name') ? 'separate several sources with commas' : `write \`${what} ${last} -> DESTINATION\``);
      }
    });
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.lineBreaks);
    const destinations = this.SUBRULE2(this.refList, { ARGS: ['a destination after `->`'] });
    let services: Token[] = [];
    let hasServices = false;
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Colon);
            this.SUBRULE2(this.lineBreaks);
            services = this.SUBRULE3(this.nameList, {
              ARGS: ['a service name after `:`', 'name a service here, e.g. `https`; declare others with `service NAME = tcp 8080`'],
            });
            hasServices = true;
          },
        },
        {
          // `db:https` without spaces lexes as a pinned interface; in a rule it is `db : https`.
          ALT: () => {
            const pin = this.CONSUME(T.IfPin);
            this.ACTION(() => {
              const p = this.tok(pin);
              // A text that is no name was reported by no one: as today, the statement fails silently.
              if (!NAME_TEXT.test(p.text.slice(1))) throw new SyntaxFailure();
              services = [{ text: p.text.slice(1), span: this.span(p.start + 1, p.end) }];
              hasServices = true;
            });
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE3(this.lineBreaks);
              const next = this.SUBRULE(this.name, { ARGS: ['another service name after `,`'] });
              this.ACTION(() => services.push(next));
            });
          },
        },
      ]);
    });
    return this.ACTION(() => {
      let end = destinations[destinations.length - 1]!.span.end.offset;
      if (hasServices) {
        const last = services[services.length - 1]!;
        end = last.span.end.offset;
        if (this.is('Name') && this.peek().text !== 'via' && this.peek().text !== 'under' && !this.atProfileClause()) {
          this.fail(`\`,\` or the end of the line after the service \`${last.text}\``, 'separate several services with commas');
        }
        if (this.is('Int') || this.is('PortRange')) {
          this.fail(`\`,\` or the end of the line after the service \`${last.text}\``, 'a rule names its services: declare `service NAME = tcp 8080` and write NAME here');
        }
      } else if (this.is('Name') && this.peek().text !== 'via' && this.peek().text !== 'under' && !this.atProfileClause()) {
        this.fail(
          `\`,\`, \`:\` or the end of the line after the destination \`${destinations[destinations.length - 1]!.text}\``,
          'separate several destinations with commas; services follow a `:`',
        );
      }
      return { sources, destinations, services, end };
    });
  });

  readonly rule = this.RULE('rule', (): Parsed<PolicyRule> => {
    const actionTok = this.OR([{ ALT: () => this.CONSUME(KW.allow) }, { ALT: () => this.CONSUME(KW.deny) }]);
    const flow = this.SUBRULE(this.flow, { ARGS: [actionTok.image] });
    const profiles = this.SUBRULE(this.profileClauses, { ARGS: ['rule'] });
    return this.ACTION(() => {
      const via = this.isKeyword('via');
      const node: PolicyRule = {
        kind: 'rule',
        action: this.token(actionTok),
        sources: flow.sources,
        destinations: flow.destinations,
        services: flow.services,
        ...(profiles.profileGroup ? { profileGroup: profiles.profileGroup } : {}),
        ...(profiles.logForwarding ? { logForwarding: profiles.logForwarding } : {}),
        span: this.span(actionTok.startOffset, Math.max(flow.end, profiles.end)),
      };
      const hint = via ? 'a rule has no `via`: state the path as `assert reach SRC -> DST via DEVICE`' : 'a rule is `allow|deny SRC, ... -> DST, ... [: SERVICE, ...]`';
      return { node, what: 'rule', hint };
    });
  });

  readonly assertion = this.RULE('assertion', (): Parsed<AssertDecl> => {
    const kw = this.CONSUME(KW.assert);
    this.ACTION(() => {
      if (!this.isKeyword('reach') && !this.isKeyword('isolate')) {
        this.fail('`reach` or `isolate` after `assert`', 'an assertion is `assert reach|isolate SRC -> DST [: SERVICE] [via DEVICE]`');
      }
    });
    const property = this.OR([{ ALT: () => this.CONSUME(KW.reach) }, { ALT: () => this.CONSUME(KW.isolate) }]);
    const flow = this.SUBRULE(this.flow, { ARGS: [`assert ${property.image}`] });
    let via: DeviceRef | undefined;
    this.OPTION(() => {
      this.CONSUME(KW.via);
      via = this.SUBRULE(this.deviceRef, { ARGS: ['the device after `via` (e.g. `fra1.fw1`)'] });
    });
    let under: UnderClause | undefined;
    this.OPTION2(() => {
      under = this.SUBRULE(this.under);
    });
    return this.ACTION(() => {
      const node: AssertDecl = {
        kind: 'assert',
        property: this.token(property),
        sources: flow.sources,
        destinations: flow.destinations,
        services: flow.services,
        ...(via ? { via } : {}),
        ...(under ? { under } : {}),
        span: this.span(kw.startOffset, under?.span.end.offset ?? via?.span.end.offset ?? flow.end),
      };
      return { node, what: 'assertion', hint: UNDER_HINT };
    });
  });

  /** `under N failure|failures`, or `under failure of ELEMENT, ...` (a device, or a link `A -- B`). */
  readonly under = this.RULE('under', (): UnderClause => {
    const kw = this.CONSUME(KW.under);
    this.ACTION(() => {
      if (!this.is('Int') && !this.isKeyword('failure')) this.fail('a number of failures or `failure of` after `under`', UNDER_HINT);
    });
    return this.OR([
      {
        ALT: () => {
          const count = this.SUBRULE(this.integer, { ARGS: ['the number of failures after `under`'] });
          this.ACTION(() => {
            if (!this.isKeyword('failure') && !this.isKeyword('failures')) this.fail('`failure` or `failures` after the number', UNDER_HINT);
          });
          const unit = this.OR2([{ ALT: () => this.CONSUME(KW.failure) }, { ALT: () => this.CONSUME(KW.failures) }]);
          return this.ACTION(() => ({ count, elements: [], span: this.span(kw.startOffset, this.tok(unit).end) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME2(KW.failure);
          this.ACTION(() => {
            if (!this.isKeyword('of')) this.fail('`of` after `under failure`', UNDER_HINT);
          });
          this.CONSUME(KW.of);
          const elements = [this.SUBRULE(this.failureElement)];
          this.MANY(() => {
            this.CONSUME(T.Comma);
            elements.push(this.SUBRULE2(this.failureElement));
          });
          return this.ACTION(() => ({ elements, span: this.span(kw.startOffset, elements[elements.length - 1]!.span.end.offset) }));
        },
      },
    ]);
  });

  /** A failed device, or a failed link written as in `link` (`fra1.core1 -- ams1.core2`). */
  readonly failureElement = this.RULE('failureElement', (): FailureElement => {
    const a = this.SUBRULE(this.linkEnd, { ARGS: ['failed'] });
    let b: FailureElement | undefined;
    this.OPTION(() => {
      this.CONSUME(T.DashDash);
      const end = this.SUBRULE2(this.linkEnd, { ARGS: ['second'] });
      b = this.ACTION(() => ({ kind: 'link', a, b: end, span: this.span(a.span.start.offset, end.span.end.offset) }));
    });
    return this.ACTION(() => {
      if (b) return b;
      if (a.ifname) this.fail('`--` after a link end with an interface', 'a failed link is written as in `link`: `A -- B`');
      return { kind: 'device', device: a.device, span: a.device.span };
    });
  });

  readonly externalAsn = this.RULE('externalAsn', (): Parsed<ExternalAsn> => {
    const kw = this.CONSUME(KW.asn);
    const asn = this.SUBRULE(this.integer, { ARGS: ['the AS number after `asn`'] });
    return this.ACTION(() => ({ node: { kind: 'asn', asn, span: this.span(kw.startOffset, asn.span.end.offset) }, what: '`asn` line' }));
  });

  readonly externalPrefixes = this.RULE('externalPrefixes', (): Parsed<ExternalPrefixes> => {
    const kw = this.CONSUME(KW.prefixes);
    const prefixes = [this.SUBRULE(this.addressLiteral, { ARGS: [true, 'a prefix after `prefixes` (e.g. `198.51.100.0/24`)'] })];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE(this.lineBreaks);
      prefixes.push(this.SUBRULE2(this.addressLiteral, { ARGS: [true, 'another prefix after `,`'] }));
    });
    return this.ACTION(() => {
      if (isAddress(this.peek())) this.fail('`,` between the prefixes', 'separate the prefixes with commas');
      const span = this.span(kw.startOffset, prefixes[prefixes.length - 1]!.span.end.offset);
      return { node: { kind: 'prefixes', prefixes, span }, what: '`prefixes` line' };
    });
  });

  readonly externalAttach = this.RULE('externalAttach', (): Parsed<ExternalAttach> => {
    const kw = this.CONSUME(KW.attach);
    const device = this.SUBRULE(this.deviceRef, { ARGS: ['the device after `attach` (e.g. `fra1.edge1`)'] });
    let address: Token | undefined;
    let peer: Token | undefined;
    let gateway: Token | undefined;
    let vlan: Token | undefined;
    let end = 0;
    const clauses = new Clauses(this);
    const shape = 'an attach is `attach DEVICE address ADDR/LEN peer ADDR|gateway ADDR [vlan N]`';
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const k = this.CONSUME(KW.address);
            this.ACTION(() => clauses.take(this.tok(k), 'attach'));
            address = this.SUBRULE(this.addressLiteral, { ARGS: [true, 'our address and its length after `address` (e.g. `169.254.10.1/30`)'] });
            this.ACTION(() => (end = address!.span.end.offset));
          },
        },
        {
          ALT: () => {
            const k = this.OR2([{ ALT: () => this.CONSUME(KW.peer) }, { ALT: () => this.CONSUME(KW.gateway) }]);
            const word = k.image;
            this.ACTION(() => {
              const kwTok = this.tok(k);
              clauses.take(kwTok, 'attach');
              if ((word === 'peer' && gateway) || (word === 'gateway' && peer)) {
                this.error(Codes.clauseTwice, kwTok.start, kwTok.end, 'an attach has `peer` (eBGP) or `gateway` (static), not both', 'keep `peer` when the external has an `asn`, else `gateway`');
              }
            });
            const value = this.SUBRULE2(this.addressLiteral, { ARGS: [false, `the ${word} address after \`${word}\``] });
            this.ACTION(() => {
              if (word === 'peer') peer = value;
              else gateway = value;
              end = value.span.end.offset;
            });
          },
        },
        {
          ALT: () => {
            const k = this.CONSUME(KW.vlan);
            this.ACTION(() => clauses.take(this.tok(k), 'attach'));
            vlan = this.SUBRULE(this.integer, { ARGS: ['the VLAN number after `vlan`'] });
            this.ACTION(() => (end = vlan!.span.end.offset));
          },
        },
      ]);
    });
    return this.ACTION(() => {
      if (!this.atStatementEnd(true)) {
        const t = this.peek();
        if (isAddress(t) && !address) this.fail('`address` before our address on the attachment', `write \`address ${t.text}\`; ${shape}`);
        this.fail('`address`, `peer`, `gateway`, `vlan` or the end of the line', shape);
      }
      if (!address) this.fail('`address` and our address on the attachment', shape);
      if (!peer && !gateway) this.fail('`peer ADDR` or `gateway ADDR`', shape);
      const node: ExternalAttach = {
        kind: 'attach',
        device,
        address,
        ...(peer ? { peer } : {}),
        ...(gateway ? { gateway } : {}),
        ...(vlan ? { vlan } : {}),
        span: this.span(kw.startOffset, end || device.span.end.offset),
      };
      return { node, what: 'attach' };
    });
  });

  readonly externalAnnounce = this.RULE('externalAnnounce', (): Parsed<ExternalAnnounce> => {
    const kw = this.CONSUME(KW.announce);
    const refs = this.SUBRULE(this.nameList, { ARGS: ['a segment, host or group after `announce`'] });
    return this.ACTION(() => {
      const last = refs[refs.length - 1]!;
      if (this.is('Name')) this.fail(`\`,\` after \`${last.text}\``, 'separate the names with commas');
      return { node: { kind: 'announce', refs, span: this.span(kw.startOffset, last.span.end.offset) }, what: '`announce` line' };
    });
  });

  /**
   * `site|external NAME ["description"] {` or `policy [NAME] {`, filling `header` as it goes.
   * A `{` may stand on a later line. Without a `{` the header fails, except after an
   * unterminated string (which may have swallowed it).
   */
  readonly blockHeader = this.RULE('blockHeader', (kind: 'site' | 'external' | 'policy', header: BlockHeader): void => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(KW.site) }, { ALT: () => this.CONSUME(KW.external) }]);
          // `external MODULE.NAME { attach ... }` attaches an imported external (language/modules.ts).
          const name = this.SUBRULE(this.qualifiedName, { ARGS: [`the ${kind} name after \`${kind}\``] });
          this.ACTION(() => (header.name = name));
          this.OPTION(() => {
            this.ACTION(() => (header.unterminated = this.is('UnterminatedString')));
            const description = this.SUBRULE(this.text);
            this.ACTION(() => (header.description = description));
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.policy);
          this.OPTION2(() => {
            const name = this.CONSUME(T.Name);
            this.ACTION(() => (header.name = this.token(name)));
          });
        },
      },
    ]);
    this.MANY({
      GATE: () => this.toks[this.afterLineBreaks()]?.kind === 'LBrace',
      DEF: () => this.CONSUME(T.Newline),
    });
    this.ACTION(() => {
      if (!this.is('LBrace') && !header.unterminated) {
        const shape =
          kind === 'policy' ? 'a policy is `policy [NAME] {`, its rules, then `}`' : `a ${kind} is \`${kind} NAME ["description"] {\`, its lines, then \`}\``;
        this.fail(`\`{\` to open the ${kind}`, shape);
      }
    });
    this.OPTION3(() => {
      const open = this.CONSUME(T.LBrace);
      this.ACTION(() => (header.open = open));
    });
  });

  constructor(validate = false) {
    super(validate);
    this.performSelfAnalysis();
  }
}
