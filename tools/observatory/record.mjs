#!/usr/bin/env node
// Record the MDN HTTP Observatory's verdicts for our header-checker cases by running an
// upstream checkout's own analyzers and grader (nothing of upstream is copied here: every
// module is imported from the oracle folder named on the command line).
//
//   node tools/observatory/record.mjs ORACLE_DIR INPUTS_JSON [--out OUT_JSON]
//        [--label TEXT] [--compare CASES_JSON] [--names a,b,...]
//
// ORACLE_DIR is a checkout of mdn/mdn-http-observatory with its node_modules installed
// (v1.6.3, main, or the npm package 1.4.8). INPUTS_JSON is {"cases": [...]} or a list of cases
// in the format of tests/unit/headers/observatory_cases.json (the "expected" field is ignored).
// See README.md beside this file for how each input field becomes upstream's Requests object.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import process from "node:process";
import url, { pathToFileURL } from "node:url";

const HERE = path.dirname(url.fileURLToPath(import.meta.url));

function usage(message) {
  if (message) {
    console.error(`record.mjs: ${message}`);
  }
  console.error(
    "usage: node tools/observatory/record.mjs ORACLE_DIR INPUTS_JSON [--out OUT_JSON] [--label TEXT] [--compare CASES_JSON] [--names a,b]"
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (["--out", "--label", "--compare", "--names"].includes(arg)) {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      opts[arg.slice(2)] = argv[++i];
    } else if (arg.startsWith("--")) {
      usage(`unknown option ${arg}`);
    } else {
      opts.positional.push(arg);
    }
  }
  if (opts.positional.length !== 2) usage();
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const ORACLE = path.resolve(opts.positional[0]);
const INPUTS = path.resolve(opts.positional[1]);
if (!fs.existsSync(path.join(ORACLE, "src", "constants.js"))) {
  usage(`${ORACLE} is not an Observatory checkout (no src/constants.js)`);
}
if (!fs.existsSync(path.join(ORACLE, "node_modules"))) {
  usage(`${ORACLE} has no node_modules: run npm ci --ignore-scripts there first (see README.md)`);
}

// ---------------------------------------------------------------------------------------------
// Polyfills. Upstream main needs node >= 22 for the ES2025 Set methods (Set.prototype.union in
// src/analyzer/tests/csp.js). On an older node they come from core-js (a devDependency of this
// folder: run `npm ci` here), which implements them to the specification. Nothing is defined
// when the running node already has them.
const polyfills = [];
const SET_METHODS = {
  union: "es.set.union.v2.js",
  intersection: "es.set.intersection.v2.js",
  difference: "es.set.difference.v2.js",
  symmetricDifference: "es.set.symmetric-difference.v2.js",
  isSubsetOf: "es.set.is-subset-of.v2.js",
  isSupersetOf: "es.set.is-superset-of.v2.js",
  isDisjointFrom: "es.set.is-disjoint-from.v2.js",
};
for (const [method, module] of Object.entries(SET_METHODS)) {
  if (typeof Set.prototype[method] !== "function") {
    const file = path.join(HERE, "node_modules", "core-js", "modules", module);
    if (!fs.existsSync(file)) {
      usage(`node ${process.version} lacks Set.prototype.${method}: run npm ci in ${HERE} for core-js`);
    }
    await import(pathToFileURL(file).href);
    polyfills.push(`Set.prototype.${method}`);
  }
}
const coreJsVersion = polyfills.length
  ? JSON.parse(fs.readFileSync(path.join(HERE, "node_modules", "core-js", "package.json"), "utf8")).version
  : null;

// ---------------------------------------------------------------------------------------------
// Upstream modules, imported from the oracle folder.
const oracleUrl = (rel) => pathToFileURL(path.join(ORACLE, rel)).href;
const load = (rel) => import(oracleUrl(rel));
const exists = (rel) => fs.existsSync(path.join(ORACLE, rel));

const pkg = JSON.parse(fs.readFileSync(path.join(ORACLE, "package.json"), "utf8"));
const constants = await load("src/constants.js");
const { ALL_TESTS, ALGORITHM_VERSION } = constants;
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await load("src/grader/charts.js");
const { getGradeForScore, getScoreModifier } = await load("src/grader/grader.js");
const types = await load("src/types.js");
const { Requests, HTML_TYPES } = types;
const { Session } = await load("src/retriever/session.js");
const { parseHttpEquivHeaders } = await load("src/retriever/utils.js");
const hstsModule = await load("src/analyzer/hsts.js");
const scanner = await load("src/scanner/index.js");
const SiteClass = exists("src/site.js") ? (await load("src/site.js")).Site : null; // v1.5+
// axios exactly as upstream resolves it (its ESM entry), plus its response transform.
const axiosModule = await load("node_modules/axios/index.js");
const axios = axiosModule.default;
const { AxiosHeaders } = axiosModule;
const transformData = (await load("node_modules/axios/lib/core/transformData.js")).default;
const axiosUtils = (await load("node_modules/axios/lib/utils.js")).default;
const axiosVersion = JSON.parse(fs.readFileSync(path.join(ORACLE, "node_modules", "axios", "package.json"), "utf8")).version;

// The HSTS preload list: upstream reads conf/hsts-preload.json once and caches the Map. We let
// it read "{}" (so the real list, if present, is never used), then fill the cached Map with each
// case's own entries. `fs` here is the same object as upstream's `import fs from "node:fs"`.
const realReadFileSync = fs.readFileSync;
fs.readFileSync = function (file, ...rest) {
  if (String(file).endsWith(path.join("conf", "hsts-preload.json"))) return "{}";
  return realReadFileSync.call(this, file, ...rest);
};
const PRELOAD = hstsModule.hsts();
fs.readFileSync = realReadFileSync;

// ---------------------------------------------------------------------------------------------
// Building upstream's Requests object from one case.

/** Merge (name, value) pairs the way Node's http parser does for IncomingMessage.headers, which
 * is what axios wraps into response.headers: names lower-cased, Set-Cookie kept as an array,
 * the "first one wins" singletons (Content-Type, Location, ...) dropped when repeated, Cookie
 * joined with "; " and every other repeated header joined with ", ". The HTTP parser strips
 * spaces and tabs around a value; we do the same before handing the lines to Node. */
function nodeHeaders(pairs) {
  const message = new http.IncomingMessage(null);
  const raw = [];
  for (const [name, value] of pairs ?? []) {
    raw.push(String(name).trim(), String(value).replace(/^[ \t]+|[ \t]+$/g, ""));
  }
  message._addHeaderLines(raw, raw.length);
  return message.headers;
}

/** The body as axios hands it over: decoded text without BOM, then its default
 * transformResponse (which JSON-parses any body that is valid JSON, whatever its type). */
function axiosData(body, headers, status) {
  const config = { ...axios.defaults, responseType: undefined };
  const response = { data: axiosUtils.stripBOM(body ?? ""), headers, status, config };
  return transformData.call(config, config.transformResponse, response);
}

function makeResponse(pairs, status, verified, body) {
  const headers = new AxiosHeaders(nodeHeaders(pairs));
  const response = {
    headers,
    status,
    statusText: http.STATUS_CODES[status] ?? "",
    verified,
    data: "",
    config: { headers: new AxiosHeaders() },
    // The live response's `request` is Node's ClientRequest, which has no `headers`
    // property: the CORS test therefore never sees the Origin it sent.
    request: {},
  };
  response.data = axiosData(body, headers, status);
  return response;
}

function makeSite(caseUrl) {
  if (SiteClass) return SiteClass.fromSiteString(caseUrl.host);
  return caseUrl.hostname; // 1.4.8: Requests takes the hostname
}

function setPreload(entries) {
  PRELOAD.clear();
  for (const [host, includeSubDomains] of entries ?? []) {
    PRELOAD.set(host, {
      includeSubDomains: Boolean(includeSubDomains),
      includeSubDomainsForPinning: false,
      mode: "force-https",
      pinned: false,
    });
  }
}

/** What http-cookie-agent does with each response of the scanned session: every Set-Cookie,
 * stored with jar.setCookieSync(cookie, requestUrl, { ignoreError: true }), where requestUrl is
 * url.format({ host, pathname, protocol }) of the request. */
function fillJar(jar, hops) {
  for (const hop of hops) {
    const hopUrl = new URL(hop.url);
    const requestUrl = url.format({
      host: hopUrl.hostname,
      pathname: hopUrl.pathname + hopUrl.search,
      protocol: hopUrl.protocol,
    });
    const cookies = nodeHeaders(hop.headers)["set-cookie"];
    for (const cookie of [cookies].flat()) {
      if (cookie == null) continue;
      jar.setCookieSync(String(cookie), requestUrl, { ignoreError: true });
    }
  }
}

function buildRequests(c) {
  const caseUrl = new URL(c.url);
  const https = caseUrl.protocol === "https:";
  const req = new Requests(makeSite(caseUrl));
  setPreload(c.hsts_preload);

  const tlsVerified = c.tls_verified ?? true;
  const auto = makeResponse(c.headers, c.status ?? 200, https ? tlsVerified : true, c.body ?? "");
  req.responses.auto = auto;
  req.responses.https = https ? auto : null;

  // The http:// probe: null (not made) and [] (nothing answered) both leave responses.http null.
  const chain = c.http_chain ?? [];
  if (chain.length > 0) {
    const last = chain.at(-1);
    req.responses.http = makeResponse(last.headers ?? [], last.status, c.http_chain_verified ?? true, "");
  } else {
    req.responses.http = null;
  }
  req.responses.httpRedirects = chain.map((hop) => ({ url: new URL(hop.url), status: hop.status }));
  // retriever.js sets httpsRedirects from the http session too
  req.responses.httpsRedirects = req.responses.httpRedirects.slice();

  // The scanned session: its URL is the scanned one; its cookie jar got every hop's cookies.
  const session = new Session(caseUrl);
  session.response = auto;
  session.redirectHistory = (c.https_chain ?? []).map((hop) => ({ url: new URL(hop.url), status: hop.status }));
  const hops = c.https_chain?.length ? c.https_chain : [{ url: c.url, headers: c.headers }];
  fillJar(session.jar, hops);
  req.session = session;

  req.resources.path = auto.data;

  // The CORS preflight's answer (the final response's headers when the case gives none).
  const cors = makeResponse(c.cors_headers ?? c.headers, 200, auto.verified, "");
  req.responses.cors = cors;

  // As retriever.js: meta http-equiv only for an HTML response with a body.
  const mime = auto.headers["content-type"]?.split(";")[0];
  auto.httpEquiv =
    HTML_TYPES.has(mime) && req.resources.path
      ? parseHttpEquivHeaders(req.resources.path, session.url.href)
      : new Map();
  return req;
}

// ---------------------------------------------------------------------------------------------
// Running the tests and grading, as src/scanner/index.js does after retrieval.

const KEEP_STATUS = (status) => !(status < 200 || (status >= 400 && ![401, 403].includes(status)));

function grade(results) {
  let scoreWithExtraCredit = 100;
  let uncurvedScore = scoreWithExtraCredit;
  for (const result of results) {
    if (!result.result) continue;
    result.scoreModifier = getScoreModifier(result.result);
    scoreWithExtraCredit += result.scoreModifier;
    if (result.scoreModifier < 0) uncurvedScore += result.scoreModifier;
  }
  const score = uncurvedScore >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? scoreWithExtraCredit : uncurvedScore;
  return getGradeForScore(score);
}

function record(c) {
  const requests = buildRequests(c);
  if (!KEEP_STATUS(requests.responses.auto.status)) {
    return { error: `Site did respond with an unexpected HTTP status code ${requests.responses.auto.status}.` };
  }
  const results = ALL_TESTS.map((test) => test(requests));
  const final = grade(results);
  // Cross-check against upstream's own scorer where it exists (v1.5+ has analyzeScan).
  if (typeof scanner.analyzeScan === "function") {
    const upstream = scanner.analyzeScan(buildRequests(c));
    if (upstream.scan.score !== final.score || upstream.scan.grade !== final.grade) {
      throw new Error(`${c.name}: analyzeScan gives ${upstream.scan.score}/${upstream.scan.grade}, we ${final.score}/${final.grade}`);
    }
  }
  const tests = {};
  for (const result of results) {
    const id = result.constructor.name;
    const entry = { result: result.result, score_modifier: result.scoreModifier ?? 0, pass: result.pass };
    if (id === "redirection" && c.http_chain === null) {
      // Pasted headers: no http:// probe was made. Upstream sees no HTTP answer; like the 1.4.8
      // recording we keep its verdict aside and mark the test as not measurable.
      entry.observatory_result = entry.result;
      entry.result = null;
      entry.pass = null;
    }
    tests[id] = entry;
  }
  return { score: final.score, grade: final.grade, tests };
}

// ---------------------------------------------------------------------------------------------

const INPUT_FIELDS = [
  "name", "url", "headers", "body", "status", "http_chain", "http_chain_verified", "tls_verified",
  "https_chain", "cors_headers", "cors_origin", "hsts_preload",
];

function loadCases(file) {
  const data = JSON.parse(fs.readFileSync(file, "utf8"));
  return Array.isArray(data) ? data : data.cases;
}

let cases = loadCases(INPUTS);
if (opts.names) {
  const wanted = new Set(opts.names.split(","));
  cases = cases.filter((c) => wanted.has(c.name));
}
const seen = new Set();
for (const c of cases) {
  if (seen.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
  seen.add(c.name);
}

const out = [];
for (const c of cases) {
  const input = {};
  for (const [field, value] of Object.entries(c)) {
    if (field === "expected") continue;
    if (!INPUT_FIELDS.includes(field)) throw new Error(`${c.name}: unknown input field ${field}`);
    input[field] = value; // the case's own field order
  }
  out.push({ ...input, expected: record(c) });
}

function gitCommit() {
  try {
    let head = fs.readFileSync(path.join(ORACLE, ".git", "HEAD"), "utf8").trim();
    if (head.startsWith("ref: ")) {
      head = fs.readFileSync(path.join(ORACLE, ".git", head.slice(5)), "utf8").trim();
    }
    return head.slice(0, 12);
  } catch {
    return null;
  }
}

function changelogTop() {
  try {
    const line = fs.readFileSync(path.join(ORACLE, "CHANGELOG.md"), "utf8").split("\n").find((l) => l.startsWith("## "));
    const match = /^## \[?([^\]\s]+)\]?.*?\((\d{4}-\d{2}-\d{2})\)/.exec(line ?? "");
    return match ? `${match[1]} (${match[2]})` : null;
  } catch {
    return null;
  }
}

const commit = gitCommit();
const top = changelogTop();
const sourceText = [
  `@mdn/mdn-http-observatory ${pkg.version}` + (opts.label ? ` (${opts.label})` : ""),
  `ALGORITHM_VERSION ${ALGORITHM_VERSION}`,
  commit ? `git commit ${commit}` : "no .git in the checkout",
  top ? `CHANGELOG top entry ${top}` : null,
  `expected values produced by tools/observatory/record.mjs running its ${ALL_TESTS.length} analyzer tests and grader`,
  `axios ${axiosVersion}`,
  `node ${process.version}`,
  polyfills.length ? `polyfilled ${polyfills.join(", ")} from core-js ${coreJsVersion}` : "no polyfill",
]
  .filter(Boolean)
  .join("; ");

if (opts.compare) {
  const before = new Map(loadCases(path.resolve(opts.compare)).map((c) => [c.name, c.expected]));
  let differing = 0;
  for (const c of out) {
    const old = before.get(c.name);
    if (!old) continue;
    const lines = [];
    if (old.score !== c.expected.score || old.grade !== c.expected.grade) {
      lines.push(`  score/grade ${old.score} ${old.grade} -> ${c.expected.score} ${c.expected.grade}`);
    }
    const ids = new Set([...Object.keys(old.tests), ...Object.keys(c.expected.tests)]);
    for (const id of ids) {
      const a = old.tests[id];
      const b = c.expected.tests[id];
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        const show = (t) => (t ? `${t.result ?? t.observatory_result} (${t.score_modifier}, pass=${t.pass})` : "absent");
        lines.push(`  ${id}: ${show(a)} -> ${show(b)}`);
      }
    }
    if (lines.length) {
      differing++;
      console.log(`${c.name}\n${lines.join("\n")}`);
    }
  }
  console.log(`${differing} of ${out.filter((c) => before.has(c.name)).length} compared cases differ`);
}

const document = { source: sourceText, cases: out };
const text = JSON.stringify(document, null, 1) + "\n";
if (opts.out) {
  fs.writeFileSync(path.resolve(opts.out), text);
  console.error(`wrote ${out.length} cases to ${opts.out}`);
} else if (!opts.compare) {
  process.stdout.write(text);
}
