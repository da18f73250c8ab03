// Every command the CLI has. A command module exports one registrar; add it here.

import type { CommandRegistrar } from '../program.js';
import { registerLsp } from './lsp.js';

export const COMMANDS: CommandRegistrar[] = [registerLsp];
