// The PAN-OS profiles of the .plumb grammar: the `security` line,
// `security [DEVICE, ...] [profile-group NAME] [log-forwarding NAME]`, and the same two clauses
// after a policy rule (`allow web -> db : postgres profile-group db-strict`). A profile is named
// by a name or a string; it is defined on the firewall or Panorama, never here.

import type { NameRef, SecurityDecl, Token } from './ast.js';
import { Clauses, KW, type Parsed } from './grammar-base.js';
import { ManageGrammar } from './grammar-manage.js';

/** The two clause keywords, in their canonical order. */
export const PROFILE_CLAUSES = ['profile-group', 'log-forwarding'] as const;

const RULE_HINT = 'a rule may end with `profile-group NAME` and `log-forwarding NAME`, e.g. `allow web -> db : postgres profile-group db-strict`';
const SECURITY_HINT = 'a security line is `security [DEVICE, ...] profile-group NAME [log-forwarding NAME]`, e.g. `security fra1.fw1 profile-group strict log-forwarding siem`';

export interface ProfileClauses {
  profileGroup?: Token;
  logForwarding?: Token;
  end: number;
}

export class ProfilesGrammar extends ManageGrammar {
  /** True when the next token starts a profile clause. */
  atProfileClause(): boolean {
    return PROFILE_CLAUSES.some((k) => this.isKeyword(k));
  }

  /** `profile-group NAME` and `log-forwarding NAME`, in any order, each at most once. */
  readonly profileClauses = this.RULE('profileClauses', (what: string): ProfileClauses => {
    const out: ProfileClauses = { end: 0 };
    const clauses = new Clauses(this);
    const hint = what === 'rule' ? RULE_HINT : SECURITY_HINT;
    this.MANY({
      GATE: () => this.atProfileClause(),
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              const k = this.CONSUME(KW['profile-group']);
              this.ACTION(() => {
                clauses.take(this.tok(k), what);
                if (!this.is('Name') && !this.is('String')) this.fail('the security-profile group after `profile-group` (a name or a "string")', hint);
              });
              const v = this.OR2([{ ALT: () => this.SUBRULE(this.name, { ARGS: [''] }) }, { ALT: () => this.SUBRULE(this.text) }]);
              this.ACTION(() => {
                out.profileGroup = v;
                out.end = v.span.end.offset;
              });
            },
          },
          {
            ALT: () => {
              const k = this.CONSUME(KW['log-forwarding']);
              this.ACTION(() => {
                clauses.take(this.tok(k), what);
                if (!this.is('Name') && !this.is('String')) this.fail('the log-forwarding profile after `log-forwarding` (a name or a "string")', hint);
              });
              const v = this.OR3([{ ALT: () => this.SUBRULE2(this.name, { ARGS: [''] }) }, { ALT: () => this.SUBRULE2(this.text) }]);
              this.ACTION(() => {
                out.logForwarding = v;
                out.end = v.span.end.offset;
              });
            },
          },
        ]);
      },
    });
    return out;
  });

  /** `security [DEVICE, ...] [profile-group NAME] [log-forwarding NAME]` */
  readonly security = this.RULE('security', (): Parsed<SecurityDecl> => {
    const kw = this.CONSUME(KW.security);
    let devices: NameRef[] = [];
    this.OPTION({
      GATE: () => !this.atProfileClause(),
      DEF: () => {
        devices = this.SUBRULE(this.refList, { ARGS: ['a firewall (`site.device`), a group of devices, `profile-group` or `log-forwarding` after `security`', SECURITY_HINT] });
      },
    });
    this.ACTION(() => {
      if (!this.atProfileClause()) {
        const last = devices[devices.length - 1];
        this.fail(last ? `\`,\`, \`profile-group\` or \`log-forwarding\` after the device \`${last.text}\`` : '`profile-group` or `log-forwarding` after `security`', SECURITY_HINT);
      }
    });
    const clauses = this.SUBRULE(this.profileClauses, { ARGS: ['security line'] });
    return this.ACTION(() => {
      const node: SecurityDecl = {
        kind: 'security',
        devices,
        ...(clauses.profileGroup ? { profileGroup: clauses.profileGroup } : {}),
        ...(clauses.logForwarding ? { logForwarding: clauses.logForwarding } : {}),
        span: this.span(kw.startOffset, clauses.end),
      };
      return { node, what: '`security` line', hint: SECURITY_HINT };
    });
  });

  /** Whether a token may follow a rule's destinations or services: a profile clause. */
  isProfileWord(text: string): boolean {
    return (PROFILE_CLAUSES as readonly string[]).includes(text);
  }
}
