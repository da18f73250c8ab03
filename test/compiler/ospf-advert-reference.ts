// The grouping of OSPF advertisements into classes as it was first written (a map by prefix, then
// one class per list of the same routers and costs): the reference `advertClasses` is held to.

export interface Advert {
  prefix: number;
  router: number;
  cost: number;
}

/** The grouping before: a map by prefix, then one class per list of the same routers and costs. */
export function classesBefore(ads: readonly Advert[]): { routers: number[]; costs: number[]; prefixes: number[] }[] {
  const byPrefix = new Map<number, Advert[]>();
  for (const a of ads) {
    let l = byPrefix.get(a.prefix);
    if (!l) byPrefix.set(a.prefix, (l = []));
    l.push(a);
  }
  const classes: { key: Advert[]; prefixes: number[] }[] = [];
  for (const [id, list] of byPrefix) {
    const same = classes.find((c) => c.key.length === list.length && c.key.every((a, i) => a.router === list[i]!.router && a.cost === list[i]!.cost));
    if (same) same.prefixes.push(id);
    else classes.push({ key: list, prefixes: [id] });
  }
  return classes.map((c) => ({ routers: c.key.map((a) => a.router), costs: c.key.map((a) => a.cost), prefixes: c.prefixes }));
}
