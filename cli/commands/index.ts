// Every command the CLI has. A command module exports one registrar; add it here.

import type { CommandRegistrar } from '../program.js';
import { registerCheck } from './check.js';
import { registerCompile } from './compile.js';
import { registerEmulate } from './emulate.js';
import { registerFmt } from './fmt.js';
import { registerGraph } from './graph.js';
import { registerLsp } from './lsp.js';
import { registerVerify } from './verify.js';

export const COMMANDS: CommandRegistrar[] = [registerCheck, registerCompile, registerGraph, registerFmt, registerLsp, registerVerify, registerEmulate];
