// The impactdsl extension: colouring comes from syntaxes/impactdsl.tmLanguage.json alone; this file
// starts the language server, `<impactdsl.command> lsp`, speaking LSP over stdin/stdout, for the
// diagnostics, hovers and the rest that only impactdsl itself can work out. Without the server
// (impactdsl not installed, or the command not found) the colouring still works and one message
// says how to point the setting at the right program. The command is run in the workspace's
// first folder, so a relative one (.venv/bin/impactdsl) is that folder's; in a workspace not
// trusted, a command set by the workspace is not taken (package.json, restrictedConfigurations).
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

const SECTION = 'impactdsl';
let client;
let watcher;

function serverOptions() {
  const command = vscode.workspace.getConfiguration(SECTION).get('command', 'impactdsl') || 'impactdsl';
  // No `transport`: stdio, and the arguments as given (TransportKind.stdio would add --stdio).
  return { command, args: ['lsp'] };
}

async function start() {
  const options = serverOptions();
  try {
    client = new LanguageClient(SECTION, 'impactdsl', options, {
      documentSelector: [
        { scheme: 'file', language: 'impactdsl' },
        { scheme: 'untitled', language: 'impactdsl' },
      ],
      synchronize: { fileEvents: watcher },
    });
    await client.start();
  } catch (error) {
    client = undefined;
    const said = error && error.message ? error.message : String(error);
    vscode.window.showWarningMessage(
      `impactdsl: språkservern startade inte (${options.command} lsp: ${said}). ` +
      'Färgningen fungerar ändå. Ange programmet i inställningen impactdsl.command.');
  }
}

async function stop() {
  if (client) {
    const running = client;
    client = undefined;
    try {
      await running.stop();
    } catch (error) {
      // A server that does not answer `shutdown` in time has been left: nothing more to do.
    }
  }
}

function activate(context) {
  watcher = vscode.workspace.createFileSystemWatcher('**/{*.impact,impactdsl.toml}');
  context.subscriptions.push(watcher, vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (event.affectsConfiguration(`${SECTION}.command`)) {
      await stop();
      await start();
    }
  }));
  return start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
