// The intents' shared start for the tests that prove under failures: a ring of three OSPF
// routers, so that every path survives any one failed link or device, with a segment on r1 and
// one on r2. Each test adds its own segments, policy and assertions.

export const OSPF_RING = `network t
routing ospf
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 frr
  router r3 frr
  link r1 -- r2
  link r2 -- r3
  link r1 -- r3
}
segment office 10.1.0.0/24 at s.r1
segment db 10.2.0.0/24 at s.r2
`;
