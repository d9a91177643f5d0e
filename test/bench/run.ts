/**
 * `npm run bench [-- suite...]`: speed and memory measured as ratios side by side in one run
 * (these machines are shared and noisy), against the emulated Bitbucket with shaped links.
 * Suites: decision, choice, clone, regret, cache, cli, many, lfs, resume (default: all). Writes a JSON report under .bench/.
 */
import path from 'node:path';
import { BenchReport } from './report';
import { benchDecision } from './decision';
import { benchChoice } from './choice';
import { benchCloneSpeed } from './clone-speed';
import { benchRegret } from './regret';
import { benchCache } from './cache';
import { benchCliStart } from './cli-start';
import { benchCloneMany } from './clone-many';
import { benchLfs } from './lfs';
import { benchResume } from './resume';

const suites: Record<string, (report: BenchReport) => Promise<void>> = {
  decision: benchDecision,
  choice: benchChoice,
  clone: benchCloneSpeed,
  regret: benchRegret,
  cache: benchCache,
  cli: benchCliStart,
  many: benchCloneMany,
  lfs: benchLfs,
  resume: benchResume,
};

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !suites[name]);
if (unknown.length > 0) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}

const report = new BenchReport();
for (const name of wanted.length > 0 ? wanted : Object.keys(suites)) {
  console.log(`\n${name}`);
  await suites[name]!(report);
}
const file = await report.write(path.resolve(import.meta.dirname, '..', '..', '.bench'));
const missed = report.rows.filter((row) => row.met === false);
console.log(`\nReport: ${file}`);
console.log(missed.length === 0 ? 'Every target met.' : `${missed.length} target(s) missed.`);
