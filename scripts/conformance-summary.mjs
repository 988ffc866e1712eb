// Summarizes one run of the conformance CLI, for scripts/conformance.sh:
//
//   node scripts/conformance-summary.mjs OUT_DIR CLI_LOG CLI_EXIT LABEL [BASELINE]
//
// OUT_DIR holds the run's `server-<scenario>-<timestamp>/checks.json` files (the CLI's `-o`),
// CLI_LOG its stdout. Prints one line per scenario (passed, failed, warnings), every FAILURE and
// WARNING check with its message, and last `conformance: N passed, M failed` (checks; M leaves
// out the failures of baselined scenarios, counted on the line before). Exits 1 if any check of
// any scenario FAILED (scored or not), if a scenario the CLI started left no checks.json, if
// nothing ran, or if the CLI itself failed.
//
// BASELINE, a file of expected failures (one scenario per line, `#` comments), changes that as
// the suite's own --expected-failures does: a listed scenario may fail, but one that passes (or
// does not run) is a stale entry and fails the run. The CLI then may exit 1 (the scored
// failures the baseline lists) as long as it finished (printed its `Total:` line).
import fs from "node:fs";
import path from "node:path";

const [outDir, logFile, cliExit, label, baselineFile] = process.argv.slice(2);
const TIMESTAMP = /-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

// What the CLI ran, in order: its "Running client scenario 'NAME' against server" lines.
const log = fs.readFileSync(logFile, "utf8");
const started = [...log.matchAll(/^Running client scenario '([^']+)' against server/gm)].map(
  (m) => m[1],
);

// The scenarios expected to fail, if a baseline was given.
const baseline = new Set(
  baselineFile
    ? fs
        .readFileSync(baselineFile, "utf8")
        .split("\n")
        .map((line) => line.replace(/#.*/, "").trim())
        .filter((line) => line !== "")
    : [],
);
// With a baseline, the CLI's exit 1 only means scored failures (judged here); it must still
// have finished.
const cliOk = cliExit === "0" || (baselineFile && cliExit === "1" && /^Total: /m.test(log));

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
let expectedFailed = 0;
let [unexpected, expected, stale] = [0, 0, 0];
let ok = started.length > 0 && cliOk;
const lines = [];
const problems = [];
for (const scenario of new Set([...started, ...results.keys()])) {
  const checks = results.get(scenario);
  if (!checks) {
    ok = false;
    unexpected++;
    lines.push(`✗ ${scenario}: no checks.json (did not finish)`);
    continue;
  }
  const count = (status) => checks.filter((c) => c.status === status).length;
  const [p, f, w] = [count("SUCCESS"), count("FAILURE"), count("WARNING")];
  const listed = baseline.has(scenario);
  passed += p;
  warnings += w;
  let mark = "✓";
  let note = "";
  if (f > 0 && listed) {
    expectedFailed += f;
    expected++;
    mark = "~";
    note = " (expected: in the baseline)";
  } else if (f > 0) {
    failed += f;
    unexpected++;
    ok = false;
    mark = "✗";
  } else if (listed) {
    stale++;
    ok = false;
    mark = "✗";
    note = " (STALE baseline entry: it passes now, remove it from the baseline)";
  }
  lines.push(`${mark} ${scenario}: ${p} passed, ${f} failed, ${w} warnings${note}`);
  for (const c of checks.filter((c) => c.status === "FAILURE" || c.status === "WARNING")) {
    const status = c.status === "FAILURE" && listed ? "FAILURE (baselined)" : c.status;
    problems.push(`  ${status} ${scenario} / ${c.id}: ${c.errorMessage ?? c.description}`);
  }
}

console.log(`\n=== ${label} ===`);
console.log(lines.join("\n"));
if (problems.length > 0) console.log(problems.join("\n"));
const ran = new Set([...started, ...results.keys()]);
for (const scenario of baseline) {
  if (ran.has(scenario)) continue;
  stale++;
  ok = false;
  console.log(`✗ ${scenario}: in the baseline but did not run (STALE baseline entry)`);
}
if (started.length === 0) console.log("✗ the CLI ran no scenario");
if (!cliOk) console.log(`✗ the CLI exited with ${cliExit}`);
console.log(`${results.size} scenarios, ${warnings} warnings`);
if (baselineFile) {
  console.log(
    `baseline ${path.basename(baselineFile)}: ${expected} expected failures ` +
      `(${expectedFailed} failed checks), ${unexpected} unexpected, ${stale} stale`,
  );
}
console.log(`conformance: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
