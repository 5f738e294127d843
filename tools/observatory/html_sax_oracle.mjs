#!/usr/bin/env node
// Records what htmlparser2 (as MDN HTTP Observatory 1.5.3+ runs it) collects per tag.
//
//   node tools/observatory/html_sax_oracle.mjs ORACLE_DIR [CASES.json] > results.json
//
// ORACLE_DIR is an Observatory checkout with node_modules (e.g. /tmp/observatory-oracles/v1.6.3);
// htmlparser2 is imported from there, never from this repository. CASES.json (else stdin) is a JSON
// array of {"html": ..., "tag": ...}; the output is a JSON array, one entry per case: the list of
// attribute objects that src/utils/html-parser.js collectElements(html, tag) returns (same Parser
// options: lowerCaseTags, lowerCaseAttributeNames, decodeEntities).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [oracleDir, casesFile] = process.argv.slice(2);
if (!oracleDir) {
  process.stderr.write("usage: html_sax_oracle.mjs ORACLE_DIR [CASES.json]\n");
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(oracleDir), "package.json"));
const { Parser } = await import(pathToFileURL(require.resolve("htmlparser2")).href);

function collectElements(html, tagName) {
  const targetTag = tagName.toLowerCase();
  const elements = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === targetTag) elements.push(attributes);
      },
    },
    { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return elements;
}

const input = readFileSync(casesFile ?? 0, "utf8");
const cases = JSON.parse(input);
const results = cases.map(({ html, tag }) => collectElements(html, tag));
process.stdout.write(JSON.stringify(results));
