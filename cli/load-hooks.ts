// A module resolution hook for the `plumb` executable (registered by cli/main.ts): `chevrotain`
// resolves to the single-file build the package ships beside its modules (lib/chevrotain.mjs,
// the same code with its lodash functions inlined). Its package entry loads some 700 files of
// lodash-es, about 0.55 s of CPU on every command that parses an intent; the single file takes
// 0.05 s. The tests and the language server's check worker load the package entry as usual: it
// is the same parser either way, and one process (thread) only ever loads one of the two.

interface ResolveContext {
  conditions: readonly string[];
  parentURL?: string;
}
interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<Resolved>;

/** What cli/main.ts passes to the hook: the URL of chevrotain's single-file build. */
export interface LoadHookData {
  chevrotain: string;
}

let chevrotain: string | undefined;

export function initialize(data: LoadHookData): void {
  chevrotain = data.chevrotain;
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<Resolved> {
  if (specifier === 'chevrotain' && chevrotain) return { url: chevrotain, format: 'module', shortCircuit: true };
  return next(specifier, context);
}
