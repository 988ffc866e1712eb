// Summarizes one run of the conformance CLI, for scripts/conformance.sh:
//
//   node scripts/conformance-summary.mjs OUT_DIR CLI_LOG CLI_EXIT LABEL
//
// OUT_DIR holds the run's `server-<scenario>-<timestamp>/checks.json` files (the CLI's `-o`),
// CLI_LOG its stdout. Prints one line per scenario (passed, failed, warnings), every FAILURE and
// WARNING check with its message, and last `conformance: N passed, M failed`. Exits 1 if any
// check of any scenario FAILED (scored or not), if a scenario the CLI started left no
// checks.json, if nothing ran, or if the CLI itself failed.
import fs from "node:fs";
import path from "node:path";

const [outDir, logFile, cliExit, label] = process.argv.slice(2);
const TIMESTAMP = /-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

// What the CLI ran, in order: its "Running client scenario 'NAME' against server" lines.
const started = [
  ...fs.readFileSync(logFile, "utf8").matchAll(/^Running client scenario '([^']+)' against server/gm),
].map((m) => m[1]);

// What each scenario checked.
const results = new Map();
for (const dir of fs.existsSync(outDir) ? fs.readdirSync(outDir) : []) {
  const file = path.join(outDir, dir, "checks.json");
  if (!dir.startsWith("server-") || !TIMESTAMP.test(dir) || !fs.existsSync(file)) continue;
  const scenario = dir.slice("server-".length).replace(TIMESTAMP, "");
  results.set(scenario, JSON.parse(fs.readFileSync(file, "utf8")));
}

let passed = 0;
let failed = 0;
let warnings = 0;
let ok = started.length > 0 && cliExit === "0";
const lines = [];
const problems = [];
for (const scenario of new Set([...started, ...results.keys()])) {
  const checks = results.get(scenario);
  if (!checks) {
    ok = false;
    lines.push(`✗ ${scenario}: no checks.json (did not finish)`);
    continue;
  }
  const count = (status) => checks.filter((c) => c.status === status).length;
  const [p, f, w] = [count("SUCCESS"), count("FAILURE"), count("WARNING")];
  passed += p;
  failed += f;
  warnings += w;
  if (f > 0) ok = false;
  lines.push(`${f > 0 ? "✗" : "✓"} ${scenario}: ${p} passed, ${f} failed, ${w} warnings`);
  for (const c of checks.filter((c) => c.status === "FAILURE" || c.status === "WARNING")) {
    problems.push(`  ${c.status} ${scenario} / ${c.id}: ${c.errorMessage ?? c.description}`);
  }
}

console.log(`\n=== ${label} ===`);
console.log(lines.join("\n"));
if (problems.length > 0) console.log(problems.join("\n"));
if (started.length === 0) console.log("✗ the CLI ran no scenario");
if (cliExit !== "0") console.log(`✗ the CLI exited with ${cliExit}`);
console.log(`${results.size} scenarios, ${warnings} warnings`);
console.log(`conformance: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
