// Tokenises texts with the grammar as VS Code does: vscode-textmate driving the Oniguruma
// engine (vscode-oniguruma's WebAssembly build), line by line, each line's state carried to the
// next. Used by tests/test_vscode_grammar.py.
//
// stdin:  {"grammar": "path/to/impactdsl.tmLanguage.json", "texts": ["...", ...]}
// stdout: {"results": [{"tokens": [[start, end, [scope, ...]], ...], "problems": ["..."]}, ...]}
// Offsets count code points from the start of the text (as Python's str does), not UTF-16 units.
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const TIME_LIMIT_MS = 2000;    // a line that takes longer is a runaway expression: reported

async function registry(grammarPath) {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const onigLib = Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  });
  const raw = fs.readFileSync(grammarPath, 'utf8');
  const scopeName = JSON.parse(raw).scopeName;
  const reg = new vsctm.Registry({
    onigLib,
    loadGrammar: async (name) => (name === scopeName ? vsctm.parseRawGrammar(raw, grammarPath) : null),
  });
  return reg.loadGrammar(scopeName);
}

// UTF-16 index -> code point index, for one line.
function codePoints(line) {
  const at = new Array(line.length + 1);
  let point = 0;
  for (let unit = 0; unit < line.length; unit++) {
    at[unit] = point;
    const code = line.charCodeAt(unit);
    if (code >= 0xd800 && code <= 0xdbff && unit + 1 < line.length) {
      at[unit + 1] = point;
      unit++;
    }
    point++;
  }
  at[line.length] = point;
  return at;
}

function tokenise(grammar, text) {
  const tokens = [];
  const problems = [];
  let state = vsctm.INITIAL;
  let offset = 0;
  text.split('\n').forEach((line, number) => {
    const at = codePoints(line);
    let result;
    try {
      result = grammar.tokenizeLine(line, state, TIME_LIMIT_MS);
    } catch (error) {
      problems.push(`line ${number + 1}: ${error && error.stack ? error.stack : error}`);
      offset += at[line.length] + 1;
      return;
    }
    if (result.stoppedEarly) problems.push(`line ${number + 1}: stopped after ${TIME_LIMIT_MS} ms`);
    let covered = 0;
    result.tokens.forEach((token) => {
      const end = Math.min(token.endIndex, line.length);
      if (token.startIndex !== covered) problems.push(`line ${number + 1}: a gap at column ${covered + 1}`);
      covered = end;
      if (end > token.startIndex) tokens.push([offset + at[token.startIndex], offset + at[end], token.scopes]);
    });
    if (covered < line.length) problems.push(`line ${number + 1}: not tokenised past column ${covered + 1}`);
    state = result.ruleStack;
    offset += at[line.length] + 1;
  });
  return { tokens, problems };
}

async function main() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const grammar = await registry(input.grammar);
  if (!grammar) throw new Error(`no grammar in ${input.grammar}`);
  const results = input.texts.map((text) => tokenise(grammar, text));
  process.stdout.write(JSON.stringify({ results }));
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
