// Scripted edits of each example's intent for the flow comparison's tests: open a port, add a
// segment with a rule, remove a deny (or an allow), widen a group, and a refactor that changes
// no behaviour. Each edit is a list of [text, replacement] that must each match exactly once.

export interface FlowEdit {
  name: string;
  /**
   * The flow changes, one line each: `allowed|blocked SRC -> DST vF PROTO RANGES @LINE`, where
   * LINE is the intent line of a rule that admits the example on the side that delivers it.
   */
  expect: string[];
  edits: [string, string][];
}

export const FLOW_EDITS: Record<string, FlowEdit[]> = {
  acme: [
    {
      name: 'open a port',
      expect: ['allowed office -> web v4 tcp 22 @51'],
      edits: [['allow office -> web : http\n', 'allow office -> web : http, ssh\n']],
    },
    {
      name: 'add a segment with a rule',
      // No ICMP errors to the new segment's gateway: its local filter's rule admits them, but an
      // frr box drops an unsolicited one first (conntrack calls it invalid).
      expect: [
        'allowed lab -> db v4 tcp 5432 @54',
        'allowed lab -> pg-primary v4 tcp 5432 @54',
        'allowed lab -> web v4 tcp 443 @50',
      ],
      edits: [
        [
          'segment guest 10.99.0.0/24 at ams1.gw1\n',
          'segment guest 10.99.0.0/24 at ams1.gw1\nsegment lab 10.30.0.0/24 at ams1.core2\n',
        ],
        [
          '  allow web -> db : postgres-rw\n',
          '  allow web -> db : postgres-rw\n  allow lab -> db : postgres-rw\n',
        ],
      ],
    },
    {
      name: 'remove a deny',
      expect: ['allowed guest -> web v4 tcp 443 @49'],
      edits: [['  deny guest -> internal    # ... but guests get nothing inside: deny wins\n', '']],
    },
    {
      name: 'widen a group',
      expect: [
        'allowed internet -> snowflake v4 udp 0-65535 @54',
        'allowed internet -> snowflake v4 icmp 3,11 @54',
        'allowed snowflake -> internet v4 tcp 53,80,443 @54',
        'allowed snowflake -> internet v4 udp 53 @54',
      ],
      edits: [['group internal = web, db, office\n', 'group internal = web, db, office, snowflake\n']],
    },
    {
      name: 'rename a group',
      expect: [],
      edits: [
        ['group internal =', 'group inside ='],
        ['deny guest -> internal ', 'deny guest -> inside '],
        ['allow internal, guest', 'allow inside, guest'],
        ['isolate guest -> internal', 'isolate guest -> inside'],
      ],
    },
  ],
  campus: [
    {
      name: 'open a port',
      expect: ['allowed iot -> mqtt v4 tcp 443 @54', 'allowed iot -> servers v4 tcp 443 @54'],
      edits: [['allow iot -> mqtt : mqtts\n', 'allow iot -> mqtt : mqtts, https\n']],
    },
    {
      name: 'add a segment with a rule',
      expect: ['allowed lab -> printsrv v4 tcp 631,9100 @57', 'allowed lab -> servers v4 tcp 631,9100 @57'],
      edits: [
        ['segment guest 10.9.0.0/20', 'segment lab 10.6.0.0/24 at main.core\nsegment guest 10.9.0.0/20'],
        ['  allow servers -> internet', '  allow lab -> printsrv : print\n  allow servers -> internet'],
      ],
    },
    {
      name: 'remove a deny',
      expect: ['allowed iot -> internet v4 tcp 80,443 @52'],
      edits: [['  deny iot -> internet  # overrides the line above: devices talk only to the broker\n', '']],
    },
    {
      name: 'widen a group',
      expect: [
        'allowed iot -> dns1 v4 tcp 22,443,631,9100 @55',
        'allowed iot -> mqtt v4 tcp 22,443,631,9100 @55',
        'allowed iot -> printsrv v4 tcp 22,443,631,9100 @55',
        'allowed iot -> servers v4 tcp 22,443,631,9100 @55',
      ],
      edits: [['group staff = office, lib-staff\n', 'group staff = office, lib-staff, iot\n']],
    },
    {
      name: 'rename a group',
      expect: [],
      edits: [
        ['group staff =', 'group employees ='],
        ['group clients = staff,', 'group clients = employees,'],
        ['allow staff ->', 'allow employees ->'],
        ['isolate guest -> staff', 'isolate guest -> employees'],
        ['isolate iot -> staff', 'isolate iot -> employees'],
        ['isolate staff -> iot', 'isolate employees -> iot'],
      ],
    },
  ],
  harbor: [
    {
      name: 'open a port',
      expect: ['allowed admin -> dmz v4 tcp 80 @39', 'allowed office -> dmz v4 tcp 80 @39', 'allowed office -> dmz v6 tcp 80 @39'],
      edits: [['allow office -> dmz : ssh\n', 'allow office -> dmz : ssh, http\n']],
    },
    {
      name: 'add a segment with a rule',
      expect: ['allowed lab4 -> dmz v4 tcp 22 @41', 'allowed lab4 -> dmz v4 tcp 443 @39'],
      edits: [
        [
          'segment lab6 2001:db8:31::/64 at sea1.lab',
          'segment lab4 10.30.5.0/24 at sea1.lab\nsegment lab6 2001:db8:31::/64 at sea1.lab',
        ],
        ['  allow office -> dmz : ssh\n', '  allow office -> dmz : ssh\n  allow lab4 -> dmz : ssh\n'],
      ],
    },
    {
      name: 'remove an allow',
      expect: ['blocked build -> partner v6 tcp 443 @40', 'blocked lab6 -> partner v6 tcp 443 @40'],
      edits: [['  allow lab6 -> partner : https\n', '']],
    },
    {
      name: 'widen a list',
      expect: [
        'allowed dmz -> internet v4 tcp 53,80,443 @41',
        'allowed dmz -> internet v4 udp 53 @41',
        'allowed dmz -> internet v6 tcp 53,80,443 @41',
        'allowed dmz -> internet v6 udp 53 @41',
        'allowed internet -> sea1.fw v4 icmp 3,11 @41',
        'allowed internet -> sea1.fw v6 icmpv6 1-3 @41',
      ],
      edits: [['allow office, lab6 -> internet', 'allow office, lab6, dmz -> internet']],
    },
    {
      name: 'reorder rules',
      expect: [],
      edits: [
        [
          '  allow any -> dmz : https\n  allow office -> dmz : ssh\n',
          '  allow office -> dmz : ssh\n  allow any -> dmz : https\n',
        ],
      ],
    },
  ],
  multicloud: [
    {
      name: 'open a port',
      expect: ['allowed etl-sae -> datalake v4 tcp 443 @89'],
      edits: [['allow etl-sae -> datalake : etl-feed\n', 'allow etl-sae -> datalake : etl-feed, https\n']],
    },
    {
      name: 'add a segment with a rule',
      expect: [
        'allowed analytics -> db-euc v4 tcp 5432 @89',
        'allowed analytics -> warehouse v4 tcp 5432 @89',
      ],
      edits: [
        [
          'segment app-sae 10.50.1.0/24',
          'segment analytics 10.40.3.0/24 at euc.wl1\nsegment app-sae 10.50.1.0/24',
        ],
        [
          '  allow workloads -> warehouse',
          '  allow analytics -> warehouse : warehouse-sql\n  allow workloads -> warehouse',
        ],
      ],
    },
    {
      name: 'remove a deny',
      expect: [
        'allowed db-euc -> internet v4 tcp 53,80,443 @81',
        'allowed db-euc -> internet v4 udp 53,123 @81',
        'allowed warehouse -> internet v4 tcp 53,80,443 @81',
        'allowed warehouse -> internet v4 udp 53,123 @81',
      ],
      edits: [['  deny db-euc -> internet  # overrides the line above: databases stay offline\n', '']],
    },
    {
      name: 'widen a group',
      expect: [
        'allowed corp -> etl-sae v4 tcp 443 @86',
        'allowed dmz -> etl-sae v4 tcp 443 @87',
        'allowed etl-sae -> db-euc v4 tcp 5432 @88',
        'allowed etl-sae -> warehouse v4 tcp 5432 @88',
      ],
      edits: [['group workloads = app-euc, app-sae\n', 'group workloads = app-euc, app-sae, etl-sae\n']],
    },
    {
      name: 'rename a group',
      expect: [],
      edits: [
        ['group workloads =', 'group cloudapps ='],
        ['mgmt, workloads, db-euc', 'mgmt, cloudapps, db-euc'],
        ['-> dmz, workloads :', '-> dmz, cloudapps :'],
        ['dmz -> workloads :', 'dmz -> cloudapps :'],
        ['allow workloads -> warehouse', 'allow cloudapps -> warehouse'],
      ],
    },
  ],
};
