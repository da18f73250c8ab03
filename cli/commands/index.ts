// Every command the CLI has, by name, with the module that registers it. A command's module (and
// all it imports: the backends, the XML parser, Z3, the language server) is loaded only when that
// command runs, or for the help that lists them all; `plumb --version` loads none. Add a command
// with one line here: its name and the import of its registrar.

import type { CommandRegistrar } from '../program.js';

export interface CommandEntry {
  name: string;
  load(): Promise<CommandRegistrar>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'check', load: async () => (await import('./check.js')).registerCheck },
  { name: 'compile', load: async () => (await import('./compile.js')).registerCompile },
  { name: 'graph', load: async () => (await import('./graph.js')).registerGraph },
  { name: 'fmt', load: async () => (await import('./fmt.js')).registerFmt },
  { name: 'lock', load: async () => (await import('./lock.js')).registerLock },
  { name: 'lsp', load: async () => (await import('./lsp.js')).registerLsp },
  { name: 'verify', load: async () => (await import('./verify.js')).registerVerify },
  { name: 'diff', load: async () => (await import('./diff.js')).registerDiff },
  { name: 'emulate', load: async () => (await import('./emulate.js')).registerEmulate },
  { name: 'report', load: async () => (await import('./report.js')).registerReport },
  { name: 'contract', load: async () => (await import('./contract.js')).registerContract },
];
