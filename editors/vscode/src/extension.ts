// The Plumb extension: starts `plumb lsp` (the language server, over stdio) for *.plumb files
// and restarts it when its settings change. Everything else — diagnostics, proofs on save,
// hover, navigation, completion, formatting — is the server's.

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

function makeClient(): LanguageClient {
  const config = vscode.workspace.getConfiguration('plumb');
  const command = config.get<string>('server.command', 'plumb');
  const args = config.get<string[]>('server.args', ['lsp']);
  const serverOptions: ServerOptions = {
    command,
    args,
    transport: TransportKind.stdio,
    // `plumb` installed by npm is a .cmd shim on Windows, which only a shell can start.
    options: { shell: process.platform === 'win32' },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'plumb' },
      { scheme: 'untitled', language: 'plumb' },
    ],
    // Files of one folder are one intent: the server re-checks a folder when a file in it
    // changes on disk, even one that is not open.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.plumb') },
    initializationOptions: {
      verifyOnSave: config.get<boolean>('verifyOnSave', true),
      proofTimeoutMs: config.get<number>('proofTimeoutMs', 60_000),
    },
  };
  return new LanguageClient('plumb', 'Plumb', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = makeClient();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('plumb.server') && !e.affectsConfiguration('plumb.verifyOnSave') && !e.affectsConfiguration('plumb.proofTimeoutMs')) {
        return;
      }
      await client?.stop();
      client = makeClient();
      await client.start();
    }),
    vscode.commands.registerCommand('plumb.restartServer', async () => {
      await client?.stop();
      client = makeClient();
      await client.start();
    }),
  );
  try {
    await client.start();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(
      `Plumb: could not start the language server (${message}). Install Plumb (npm install -g plumb-net: the package is plumb-net, its command plumb) or set plumb.server.command.`,
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
