// `plumb lsp`: the language server on stdin/stdout, for editors (docs/editors.md). The command
// resolves when the client closes the connection; the LSP `exit` notification ends the process
// as the protocol requires (exit code 0 after `shutdown`, else 1).

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import type { CommandRegistrar } from '../program.js';
import { ExitCode } from '../io.js';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { MAX_MESSAGE_BYTES } from '../../lsp/limits.js';
import { boundedMessages } from '../../lsp/message-limit.js';
import { DEFAULT_OPTIONS, startServer } from '../../lsp/server.js';

export const registerLsp: CommandRegistrar = (program, ctx) => {
  program
    .command('lsp')
    .description('run the language server on stdin/stdout (for editors)')
    .option('--stdio', 'talk LSP over stdin/stdout (the default and only transport)')
    .option('--debounce <ms>', 'quiet time after an edit before re-checking', String(DEFAULT_OPTIONS.debounceMs))
    .action(async (options: { debounce: string }) => {
      const debounceMs = Number(options.debounce);
      if (!Number.isInteger(debounceMs) || debounceMs < 0) {
        ctx.io.stderr(`error: --debounce must be a whole number of milliseconds, not ${JSON.stringify(options.debounce)}\n`);
        ctx.setExit(ExitCode.usage);
        return;
      }
      // An editor keeps one server for hours: a bug in one request must not take it down. Handlers
      // are guarded one by one; this is the last line of defence, and it says where to report.
      process.on('uncaughtException', (err) => ctx.io.stderr(`plumb lsp: internal error (a bug): ${err.stack ?? err.message}\n`));
      process.on('unhandledRejection', (err) => ctx.io.stderr(`plumb lsp: internal error (a bug): ${String(err)}\n`));
      const frontEnd = await loadFrontEnd();
      // No message larger than the limit reaches the protocol library, which would hold it whole.
      const connection = createConnection(ProposedFeatures.all, boundedMessages(process.stdin, MAX_MESSAGE_BYTES), process.stdout);
      // stdout carries the protocol: a stray write would corrupt it, so the console goes to the client.
      await startServer(connection, frontEnd, { ...DEFAULT_OPTIONS, debounceMs });
      ctx.setExit(ExitCode.ok);
    });
};
