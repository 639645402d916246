#!/usr/bin/env node
// Prints the hostile-input table from the counts the test/hostile suite wrote (one JSON per test file in
// <tmpdir>/tweetlab-hostile-tally/), and with --write puts it into test/README.md between its markers.
// Run `npx vitest run test/hostile` first; each test file then checks its rows against the README.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const dir = path.join(os.tmpdir(), 'tweetlab-hostile-tally');
if (!existsSync(dir)) {
  console.error(`no counts in ${dir}: run "npx vitest run test/hostile" first`);
  process.exit(1);
}
const rows = [];
for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
  const { file, rows: r } = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
  for (const row of r) rows.push({ file, ...row });
}
const total = { error: 0, handled: 0, crash: 0 };
const lines = [
  '| Reader | Test file | Cases | Clear one-line error, exit ≠ 0 | Handled (documented) | Crash, stack trace or partial file |',
  '|---|---|---:|---:|---:|---:|',
];
for (const r of rows) {
  for (const k of Object.keys(total)) total[k] += r[k];
  lines.push(`| ${r.reader} | ${r.file}.test.ts | ${r.error + r.handled + r.crash} | ${r.error} | ${r.handled} | ${r.crash} |`);
}
lines.push(`| **all readers** | | **${total.error + total.handled + total.crash}** | **${total.error}** | **${total.handled}** | **${total.crash}** |`);
const table = lines.join('\n');
if (process.argv.includes('--write')) {
  const readme = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'test', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- hostile-table:start -->';
  const end = '<!-- hostile-table:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < 0) {
    console.error(`${readme} has no ${start} … ${end} markers`);
    process.exit(1);
  }
  writeFileSync(readme, text.slice(0, a + start.length) + '\n' + table + '\n' + text.slice(b));
  console.log(`updated ${readme}`);
} else {
  console.log(table);
}
