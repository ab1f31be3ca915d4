// Activates extension.js outside VS Code, with a stand-in for the `vscode` module (every API a
// no-op, the setting impactdsl.command given on the command line), so that the real language
// client (vscode-languageclient) starts the server as VS Code would. Used by
// tests/test_vscode_grammar.py with a stand-in server.
//
//   node test/activate.js COMMAND   prints {"shown": [[kind, message], ...]} once the client has
//                                   started (or failed to) and settled
'use strict';

const Module = require('module');
const path = require('path');

// The oldest VS Code the manifest admits (engines.vscode), which the client checks itself against.
const VERSION = require('../package.json').engines.vscode.replace(/^[^\d]*/, '');
const shown = [];
const SHOWN = new Set(['showWarningMessage', 'showErrorMessage', 'showInformationMessage']);

function standIn(name) {
  const f = function () { return standIn(`${name}()`); };
  return new Proxy(f, {
    get(_, key) {
      if (key === 'then') return undefined;                     // not a promise
      if (key === Symbol.toPrimitive) return () => name;
      if (SHOWN.has(key)) return (message) => { shown.push([key, message]); return Promise.resolve(undefined); };
      if (key === 'getConfiguration') {
        return () => ({ get: (setting, fallback) => (setting === 'command' ? process.argv[2] : fallback) });
      }
      if (key === 'workspaceFolders') return undefined;
      if (key === 'version') return VERSION;
      return standIn(`${name}.${String(key)}`);
    },
    construct() { return standIn(`new ${name}`); },
  });
}

const vscode = standIn('vscode');
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const extension = require(path.join(__dirname, '..', 'extension.js'));
Promise.resolve(extension.activate({ subscriptions: [] }))
  .then(() => new Promise((settle) => setTimeout(settle, 1000)))
  .then(() => extension.deactivate())
  .then(() => {
    process.stdout.write(JSON.stringify({ shown }));
    process.exit(0);
  }, (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  });
