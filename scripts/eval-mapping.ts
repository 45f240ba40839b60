/**
 * `npm run eval:mapping [-- --show-heldout]`: top-1 accuracy of the field-mapping engine on the labelled
 * cases in eval/mapping (overall and per source), and the wrong suggestions made with confidence ≥ 0.9.
 * Failures of the dev split are listed; held-out failures only with --show-heldout (so tuning stays blind).
 */
import { evaluate, loadCases, SPLITS, type EvalReport } from '../eval/mapping/evaluate.js';

const showHeldout = process.argv.includes('--show-heldout');
const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
let exit = 0;

for (const split of SPLITS) {
  const started = performance.now();
  const report: EvalReport = evaluate(loadCases(split));
  const ms = performance.now() - started;
  process.stdout.write(`\n== ${split}: ${report.correct}/${report.total} top-1 = ${pct(report.accuracy)}  (confident-wrong: ${report.confidentWrong.length}; ${ms.toFixed(0)} ms)\n`);
  for (const [source, s] of Object.entries(report.bySource).sort()) {
    process.stdout.write(`   ${source.padEnd(11)} ${String(s.correct).padStart(4)}/${String(s.total).padEnd(4)} ${pct(s.accuracy)}\n`);
  }
  if (report.confidentWrong.length) exit = 1;
  const list = split === 'dev' || showHeldout ? report.failures : report.confidentWrong;
  if (list.length) process.stdout.write(`   ${split === 'dev' || showHeldout ? 'failures' : 'confident-wrong'}:\n`);
  for (const f of list) {
    const c = f.case;
    const label = c.field.label ? ` [${c.field.label}]` : '';
    process.stdout.write(
      `   ${f.confidence >= 0.9 ? '!!' : '  '} ${c.source}/${c.entityType} "${c.field.name}"${label} → ${f.got ?? 'null'} (${f.confidence}) expected ${c.expected ?? 'null'}\n      ${f.reason}\n`,
    );
  }
}
process.exitCode = exit;
