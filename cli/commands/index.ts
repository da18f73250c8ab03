// Every command the CLI has. A command module exports one registrar; add it here.

import type { CommandRegistrar } from '../program.js';
import { registerCheck } from './check.js';
import { registerFmt } from './fmt.js';
import { registerLsp } from './lsp.js';

export const COMMANDS: CommandRegistrar[] = [registerCheck, registerFmt, registerLsp];
