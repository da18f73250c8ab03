// The rules of the one-line declarations, and a site's devices and links: each starts on the
// statement's keyword and returns its node; the driver (parser.ts) ends the statement. A
// missing or wrong part fails the statement (see grammar-base.ts).

import type { IToken } from 'chevrotain';
import type {
  DeviceDecl,
  DeviceRef,
  GroupDecl,
  HostDecl,
  LinkDecl,
  LinkEnd,
  NetworkDecl,
  PoolDecl,
  RoutingDecl,
  SegmentDecl,
  ServiceDecl,
  ServiceItem,
  SurviveDecl,
  Token,
} from './ast.js';
import { Clauses, GrammarBase, KW, T, type Parsed } from './grammar-base.js';

const PORT_PROTOCOLS = new Set(['tcp', 'udp']);
const isAddress = (t: { kind: string }): boolean => t.kind === 'IPv4' || t.kind === 'IPv6';

export class StatementGrammar extends GrammarBase {
  readonly network = this.RULE('network', (): Parsed<NetworkDecl> => {
    const kw = this.CONSUME(KW.network);
    const name = this.SUBRULE(this.name, { ARGS: ['the network name after `network`'] });
    let description: Token | undefined;
    this.OPTION(() => {
      description = this.SUBRULE(this.text);
    });
    return this.ACTION(() => {
      const end = description?.span.end.offset ?? name.span.end.offset;
      const node: NetworkDecl = { kind: 'network', name, ...(description ? { description } : {}), span: this.span(kw.startOffset, end) };
      return { node, what: '`network` line', hint: 'a network line is `network NAME "description"`' };
    });
  });

  readonly routing = this.RULE('routing', (): Parsed<RoutingDecl> => {
    const kw = this.CONSUME(KW.routing);
    this.ACTION(() => {
      if (!this.isKeyword('static') && !this.isKeyword('ospf')) {
        this.fail('`static` or `ospf` after `routing`', 'the internal routing is `routing static` (the default) or `routing ospf`');
      }
    });
    const mode = this.OR([{ ALT: () => this.CONSUME(KW.static) }, { ALT: () => this.CONSUME(KW.ospf) }]);
    let authentication: Token | undefined;
    this.OPTION({
      GATE: () => mode.image === 'ospf' && this.isKeyword('authentication'),
      DEF: () => {
        this.CONSUME(KW.authentication);
        authentication = this.SUBRULE(this.name, {
          ARGS: ['the name of a secret after `authentication`', 'OSPF is authenticated with `routing ospf authentication SECRET`, naming a `secret` line'],
        });
      },
    });
    return this.ACTION(() => {
      const m = this.token(mode);
      const end = (authentication ?? m).span.end.offset;
      const node: RoutingDecl = { kind: 'routing', mode: m, ...(authentication ? { authentication } : {}), span: this.span(kw.startOffset, end) };
      return { node, what: '`routing` line', hint: 'the line is `routing static` or `routing ospf [authentication SECRET]`' };
    });
  });

  /** `survive N failure|failures` */
  readonly survive = this.RULE('survive', (): Parsed<SurviveDecl> => {
    const kw = this.CONSUME(KW.survive);
    const count = this.SUBRULE(this.integer, { ARGS: ['the number of failures after `survive` (e.g. `survive 1 failure`)'] });
    this.ACTION(() => {
      if (!this.isKeyword('failure') && !this.isKeyword('failures')) this.fail('`failure` or `failures` after the number', 'the line is `survive N failures`, e.g. `survive 2 failures`');
    });
    const unit = this.OR([{ ALT: () => this.CONSUME(KW.failure) }, { ALT: () => this.CONSUME(KW.failures) }]);
    return this.ACTION(() => ({
      node: { kind: 'survive', count, span: this.span(kw.startOffset, this.tok(unit).end) },
      what: '`survive` line',
      hint: 'the line is `survive N failures`',
    }));
  });

  readonly pool = this.RULE('pool', (): Parsed<PoolDecl> => {
    const kw = this.CONSUME(KW.pool);
    const name = this.SUBRULE(this.name, { ARGS: ['the pool name after `pool`'] });
    const prefix = this.SUBRULE(this.addressLiteral, { ARGS: [true, `the pool's prefix after \`${name?.text}\` (e.g. \`10.255.0.0/16\`)`] });
    return this.ACTION(() => ({
      node: { kind: 'pool', name, prefix, span: this.span(kw.startOffset, prefix.span.end.offset) },
      what: 'pool',
      hint: 'a pool has one prefix: `pool NAME PREFIX`',
    }));
  });

  readonly device = this.RULE('device', (inBlock: boolean): Parsed<DeviceDecl> => {
    const roleTok = this.OR([{ ALT: () => this.CONSUME(KW.router) }, { ALT: () => this.CONSUME(KW.firewall) }]);
    const name = this.SUBRULE(this.name, { ARGS: [`the device name after \`${roleTok.image}\``] });
    const platform = this.SUBRULE2(this.name, {
      ARGS: [`the platform of \`${name?.text}\``, 'the platform is one of `cisco-iosxe`, `paloalto-panos`, `frr`, `linux`'],
    });
    let asn: Token | undefined;
    let loopback: Token | undefined;
    let end = 0;
    const clauses = new Clauses(this);
    this.MANY(() => {
      this.OR2([
        {
          ALT: () => {
            const k = this.CONSUME(KW.asn);
            this.ACTION(() => clauses.take(this.tok(k), 'device'));
            asn = this.SUBRULE(this.integer, { ARGS: ['the AS number after `asn`'] });
            this.ACTION(() => (end = asn!.span.end.offset));
          },
        },
        {
          ALT: () => {
            const k = this.CONSUME(KW.loopback);
            this.ACTION(() => clauses.take(this.tok(k), 'device'));
            loopback = this.SUBRULE(this.addressLiteral, { ARGS: [false, 'the loopback address after `loopback` (e.g. `10.255.255.1`)'] });
            this.ACTION(() => (end = loopback!.span.end.offset));
          },
        },
      ]);
    });
    return this.ACTION(() => {
      if (!this.atStatementEnd(inBlock)) {
        this.fail('`asn`, `loopback` or the end of the line', 'a device is `router|firewall NAME PLATFORM [asn N] [loopback ADDR]`');
      }
      const node: DeviceDecl = {
        kind: 'device',
        role: this.token(roleTok),
        name,
        platform,
        ...(asn ? { asn } : {}),
        ...(loopback ? { loopback } : {}),
        span: this.span(roleTok.startOffset, end || platform.span.end.offset),
      };
      return { node, what: 'device' };
    });
  });

  readonly linkEnd = this.RULE('linkEnd', (which: string): LinkEnd => {
    const device = this.SUBRULE(this.deviceRef, { ARGS: [`the ${which} device of the link`, 'a link is `link A -- B`, e.g. `link edge1 -- fw1`'] });
    let pin: IToken | undefined;
    this.OPTION(() => {
      pin = this.CONSUME(T.IfPin);
    });
    return this.ACTION(() => {
      if (!pin) return { device, span: device.span };
      const p = this.tok(pin);
      const ifname: Token = { text: p.text.slice(1), span: this.span(p.start + 1, p.end) };
      return { device, ifname, span: this.span(device.span.start.offset, p.end) };
    });
  });

  readonly link = this.RULE('link', (inBlock: boolean): Parsed<LinkDecl> => {
    const kw = this.CONSUME(KW.link);
    const a = this.SUBRULE(this.linkEnd, { ARGS: ['first'] });
    this.ACTION(() => {
      if (this.is('Colon')) this.fail('`--` after the first device', 'an interface name follows its device without spaces: `edge1:Gi2`');
      if (!this.is('DashDash')) this.fail(`\`--\` between the link's two devices`, 'a link is `link A -- B`');
    });
    this.CONSUME(T.DashDash);
    const b = this.SUBRULE2(this.linkEnd, { ARGS: ['second'] });
    let prefix: Token | undefined;
    let cost: Token | undefined;
    let end = 0;
    const clauses = new Clauses(this);
    this.MANY({
      GATE: () => this.isKeyword('cost') || (isAddress(this.peek()) && !prefix),
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              const k = this.CONSUME(KW.cost);
              this.ACTION(() => clauses.take(this.tok(k), 'link'));
              cost = this.SUBRULE(this.integer, { ARGS: ['the cost after `cost`'] });
              this.ACTION(() => (end = cost!.span.end.offset));
            },
          },
          {
            ALT: () => {
              prefix = this.SUBRULE(this.addressLiteral, { ARGS: [true, "the link's prefix (e.g. `10.0.0.0/31`)"] });
              this.ACTION(() => (end = prefix!.span.end.offset));
            },
          },
        ]);
      },
    });
    return this.ACTION(() => {
      if (!this.atStatementEnd(inBlock)) this.fail("the link's prefix, `cost` or the end of the line", 'a link is `link A -- B [PREFIX] [cost N]`');
      const node: LinkDecl = {
        kind: 'link',
        a,
        b,
        ...(prefix ? { prefix } : {}),
        ...(cost ? { cost } : {}),
        span: this.span(kw.startOffset, end || b.span.end.offset),
      };
      return { node, what: 'link' };
    });
  });

  readonly segment = this.RULE('segment', (inBlock: boolean): Parsed<SegmentDecl> => {
    const kw = this.CONSUME(KW.segment);
    const name = this.SUBRULE(this.name, { ARGS: ['the segment name after `segment`'] });
    this.ACTION(() => (this.declaring = name));
    const prefixes = [this.SUBRULE(this.addressLiteral, { ARGS: [true, `the prefix of segment \`${name?.text}\` (e.g. \`10.0.1.0/24\`)`] })];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE(this.lineBreaks);
      prefixes.push(this.SUBRULE2(this.addressLiteral, { ARGS: [true, 'another prefix after `,`'] }));
    });
    let at: DeviceRef | undefined;
    let zone: Token | undefined;
    let vlan: Token | undefined;
    let description: Token | undefined;
    let end = 0;
    const clauses = new Clauses(this);
    this.MANY2(() => {
      this.OR([
        {
          ALT: () => {
            const k = this.CONSUME(KW.at);
            this.ACTION(() => clauses.take(this.tok(k), 'segment'));
            at = this.SUBRULE(this.deviceRef, { ARGS: ['the gateway device after `at` (e.g. `fra1.fw1`)'] });
            this.ACTION(() => (end = at!.span.end.offset));
          },
        },
        {
          ALT: () => {
            const k = this.CONSUME(KW.zone);
            this.ACTION(() => clauses.take(this.tok(k), 'segment'));
            zone = this.SUBRULE2(this.name, { ARGS: ['the zone name after `zone`'] });
            this.ACTION(() => (end = zone!.span.end.offset));
          },
        },
        {
          ALT: () => {
            const k = this.CONSUME(KW.vlan);
            this.ACTION(() => clauses.take(this.tok(k), 'segment'));
            vlan = this.SUBRULE(this.integer, { ARGS: ['the VLAN number after `vlan`'] });
            this.ACTION(() => (end = vlan!.span.end.offset));
          },
        },
        {
          ALT: () => {
            this.ACTION(() => clauses.take(this.peek(), 'segment', '"description"'));
            description = this.SUBRULE(this.text);
            this.ACTION(() => (end = description!.span.end.offset));
          },
        },
      ]);
    });
    return this.ACTION(() => {
      if (!this.atStatementEnd(inBlock)) {
        const t = this.peek();
        if (isAddress(t)) {
          this.fail("`,` between the segment's prefixes", `write \`${prefixes[prefixes.length - 1]!.text}, ${t.text}\``);
        } else if (!at && t.kind === 'Name') {
          this.fail('`at` before the gateway device', `write \`at ${this.deviceRefText()}\`: a segment is \`segment NAME PREFIX at DEVICE\``);
        }
        this.fail('`at`, `zone`, `vlan`, a description or the end of the line', 'a segment is `segment NAME PREFIX[, PREFIX] at DEVICE [zone Z] [vlan N] ["description"]`');
      }
      if (!at) this.fail('`at` and the gateway device', 'a segment is `segment NAME PREFIX at DEVICE`, e.g. `segment web 10.0.1.0/24 at fra1.fw1`');
      const node: SegmentDecl = {
        kind: 'segment',
        name,
        prefixes,
        at,
        ...(zone ? { zone } : {}),
        ...(vlan ? { vlan } : {}),
        ...(description ? { description } : {}),
        span: this.span(kw.startOffset, end || prefixes[prefixes.length - 1]!.span.end.offset),
      };
      return { node, what: 'segment' };
    });
  });

  readonly host = this.RULE('host', (): Parsed<HostDecl> => {
    const kw = this.CONSUME(KW.host);
    const name = this.SUBRULE(this.name, { ARGS: ['the host name after `host`'] });
    this.ACTION(() => (this.declaring = name));
    const address = this.SUBRULE(this.addressLiteral, { ARGS: [false, `the address of host \`${name?.text}\` (e.g. \`10.0.1.10\`)`] });
    this.ACTION(() => {
      if (!this.isKeyword('in')) {
        this.fail('`in` before the segment', `a host is \`host NAME ADDR in SEGMENT\`, e.g. \`host ${name.text} ${address.text} in web\``);
      }
    });
    this.CONSUME(KW.in);
    const segment = this.SUBRULE2(this.name, { ARGS: ['the segment name after `in`'] });
    return this.ACTION(() => ({
      node: { kind: 'host', name, address, segment, span: this.span(kw.startOffset, segment.span.end.offset) },
      what: 'host',
    }));
  });

  readonly group = this.RULE('group', (): Parsed<GroupDecl> => {
    const kw = this.CONSUME(KW.group);
    const name = this.SUBRULE(this.name, { ARGS: ['the group name after `group`'] });
    this.ACTION(() => {
      this.declaring = name;
      if (!this.is('Equals')) this.fail(`\`=\` after the group name \`${name.text}\``, `a group is \`group ${name.text} = A, B, ...\``);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.lineBreaks);
    const members = this.SUBRULE(this.refList, { ARGS: ['a member name (a segment, host, external, group or device)'] });
    return this.ACTION(() => {
      const last = members[members.length - 1]!;
      if (this.is('Name')) this.fail(`\`,\` after \`${last.text}\``, 'separate the members with commas');
      return { node: { kind: 'group', name, members, span: this.span(kw.startOffset, last.span.end.offset) }, what: 'group' };
    });
  });

  readonly serviceItem = this.RULE('serviceItem', (inBlock: boolean): ServiceItem => {
    this.ACTION(() => {
      if (!this.is('Int') && !this.is('Name')) {
        this.fail('a protocol (`tcp`, `udp`, `icmp` or a number) or a service name', 'a service item is `tcp 80`, `udp 53`, `icmp echo`, `47` or the name of another service');
      }
    });
    return this.OR([
      {
        ALT: () => {
          const number = this.CONSUME(T.Int);
          return this.ACTION(() => {
            const protocol = this.token(number);
            return { protocol, ports: [], span: protocol.span };
          });
        },
      },
      {
        ALT: () => {
          // A protocol, or a service's name (`MODULE.NAME` for one of an imported module).
          const protocol = this.SUBRULE(this.qualifiedName, { ARGS: [''] });
          const ports: Token[] = [];
          let icmpType: Token | undefined;
          this.MANY({
            GATE: () => PORT_PROTOCOLS.has(protocol.text),
            DEF: () => {
              const port = this.OR2([{ ALT: () => this.CONSUME(T.PortRange) }, { ALT: () => this.CONSUME2(T.Int) }]);
              this.ACTION(() => ports.push(this.token(port)));
            },
          });
          this.OPTION({
            GATE: () => protocol.text === 'icmp',
            DEF: () => {
              const type = this.OR3([{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME3(T.Int) }]);
              this.ACTION(() => (icmpType = this.token(type)));
            },
          });
          return this.ACTION(() => {
            const end = icmpType?.span.end.offset ?? ports[ports.length - 1]?.span.end.offset ?? protocol.span.end.offset;
            if (!this.atStatementEnd(inBlock) && !this.is('Comma')) {
              const hint =
                this.is('Int') || this.is('PortRange')
                  ? PORT_PROTOCOLS.has(protocol.text)
                    ? undefined
                    : 'only `tcp` and `udp` take ports'
                  : this.is('Name')
                    ? 'separate the items with commas: `tcp 80, udp 53`'
                    : undefined;
              this.fail(`\`,\` or the end of the line after the service item \`${this.index.text.slice(protocol.span.start.offset, end)}\``, hint);
            }
            return { protocol, ports, ...(icmpType ? { icmpType } : {}), span: this.span(protocol.span.start.offset, end) };
          });
        },
      },
    ]);
  });

  readonly service = this.RULE('service', (inBlock: boolean): Parsed<ServiceDecl> => {
    const kw = this.CONSUME(KW.service);
    const name = this.SUBRULE(this.name, { ARGS: ['the service name after `service`'] });
    this.ACTION(() => {
      this.declaring = name;
      if (!this.is('Equals')) this.fail(`\`=\` after the service name \`${name.text}\``, `a service is \`service ${name.text} = tcp 8080\``);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.lineBreaks);
    const items = [this.SUBRULE(this.serviceItem, { ARGS: [inBlock] })];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.lineBreaks);
      items.push(this.SUBRULE2(this.serviceItem, { ARGS: [inBlock] }));
    });
    return this.ACTION(() => ({
      node: { kind: 'service', name, items, span: this.span(kw.startOffset, items[items.length - 1]!.span.end.offset) },
      what: 'service',
    }));
  });
}
