import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The shape README's architecture section describes, checked on the import graph of src/: no import cycles,
 * and no stage importing a stage above it. Type-only imports count too: they couple the files just the same.
 * And the sizes the developer guide sets: no source file over 300 lines, no function over 60.
 */

const SRC = path.resolve(__dirname, '..', 'src');

/**
 * Stage of each top-level folder or file of src/, lowest first (README, Architecture). A file may import its
 * own stage and the ones below it.
 */
const STAGES: readonly (readonly string[])[] = [
  ['util', 'random.ts', 'errors.ts', 'types.ts'],
  ['sources'],
  ['analysis'],
  ['text'],
  ['dataset'],
  ['model'],
  ['generate'],
  ['evaluate'],
  ['pipeline'],
  ['report', 'viz', 'notebook', 'page'],
  ['cli'],
];
/** The K-Means lesson is a side branch: it may import these (and the lowest stage); only report/viz/notebook/page/cli import it. */
const CLUSTER_MAY_IMPORT = new Set(['analysis', 'viz']);
/** Entry points that wire everything together. */
const ENTRY_POINTS = new Set(['index.ts', 'cli.ts']);

/** Every .ts file under `dir`, as paths relative to src/ with `/` separators. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

/** Relative specifiers of static imports and exports, `import('…')` and `require('…')` in `text`. */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.push(m[1] as string);
  return found.filter((s) => s.startsWith('.'));
}

/**
 * The src/ file a relative specifier names (`./x.js` → `x.ts`, `./dir/index.js` → `dir/index.ts`); undefined
 * for files outside src/ and data files (`../package.json`).
 */
function resolveImport(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  if (base.startsWith('../') || base.endsWith('.json')) return undefined;
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
  const hit = candidates.find((c) => files.has(c));
  if (!hit) throw new Error(`${from}: cannot resolve import "${specifier}"`);
  return hit;
}

function importGraph(): Map<string, string[]> {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const text = fs.readFileSync(path.join(SRC, file), 'utf8');
      const targets = importSpecifiers(text).map((s) => resolveImport(file, s, known));
      return [file, [...new Set(targets.filter((t): t is string => t !== undefined))]];
    }),
  );
}

/** Top-level folder or file of a src/ path ("model/fast/runtime.ts" → "model"). */
function topLevel(file: string): string {
  return file.split('/')[0] as string;
}

function stageOf(file: string): number {
  const top = topLevel(file);
  return STAGES.findIndex((stage) => stage.includes(top));
}

const VIZ_STAGE = stageOf('viz/index.ts');

/** Why `from` may not import `to`, or null when it may. */
export function forbiddenImport(from: string, to: string): string | null {
  if (ENTRY_POINTS.has(from)) return null;
  const [a, b] = [topLevel(from), topLevel(to)];
  if (a === b || stageOf(to) === 0) return null;
  if (a === 'cluster') return CLUSTER_MAY_IMPORT.has(b) ? null : `the K-Means lesson may not import ${b}/`;
  if (b === 'cluster') return stageOf(from) >= VIZ_STAGE ? null : `${a}/ may not import the K-Means lesson`;
  if (stageOf(from) < 0 || stageOf(to) < 0) return `${a} or ${b} has no stage: add it to STAGES`;
  return stageOf(to) > stageOf(from) ? `${a}/ is below ${b}/` : null;
}

/** Every cycle of the graph, each as the list of files it passes (found by depth-first search). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

/** Most lines of a src/ file. */
const MAX_FILE_LINES = 300;
/** Most lines of a function (from its first line to its closing brace; a nested function counts in its parent too). */
const MAX_FUNCTION_LINES = 60;
/**
 * Functions allowed over MAX_FUNCTION_LINES, as "file:name", each with a comment saying why it stays whole.
 * Only a single numeric kernel may stand here; today none needs to.
 */
const LONG_FUNCTION_EXCEPTIONS: ReadonlySet<string> = new Set<string>([]);

/** Lines of a source text (a final newline does not start another line). */
export function lineCount(text: string): number {
  return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
}

/** The name a function is known by: its own, or that of the variable, property or parameter it is assigned to. */
function functionName(node: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  if (node.name) return node.name.getText(sf);
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name) return parent.name.getText(sf);
  return `<anonymous at line ${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}>`;
}

/** Every function with a body in `text` (declarations, methods, arrows, expressions) and its length in lines. */
export function functionLengths(file: string, text: string): { name: string; lines: number }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name: functionName(node as ts.FunctionLikeDeclaration, sf), lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('sizes in src/', () => {
  const files = sourceFiles(SRC).map((file) => ({ file, text: fs.readFileSync(path.join(SRC, file), 'utf8') }));

  it('measures files and functions the way the limits mean', () => {
    expect([lineCount(''), lineCount('a\n'), lineCount('a\nb'), lineCount('a\n\nb\n')]).toEqual([0, 1, 2, 3]);
    const body = Array.from({ length: 59 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = `/** Doc. */\nexport function long(): void {\n${body}\n}\nconst short = (x: number) => {\n  return x;\n};\n`;
    expect(functionLengths('x.ts', text)).toEqual([{ name: 'long', lines: 61 }, { name: 'short', lines: 3 }]);
    const nested = 'function outer() {\n  const inner = function () {\n    return 1;\n  };\n  return inner;\n}\n';
    expect(functionLengths('y.ts', nested)).toEqual([{ name: 'outer', lines: 6 }, { name: 'inner', lines: 3 }]);
    expect(files.length).toBeGreaterThan(100);
  });

  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const long = files.map(({ file, text }) => ({ file, lines: lineCount(text) })).filter((f) => f.lines > MAX_FILE_LINES);
    expect(long.map((f) => `${f.file}: ${f.lines} lines`)).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines outside the exceptions, and no stale exception`, () => {
    const long = files.flatMap(({ file, text }) =>
      functionLengths(file, text).filter((f) => f.lines > MAX_FUNCTION_LINES).map((f) => ({ key: `${file}:${f.name}`, lines: f.lines })),
    );
    expect(long.filter((f) => !LONG_FUNCTION_EXCEPTIONS.has(f.key)).map((f) => `${f.key}: ${f.lines} lines`)).toEqual([]);
    expect([...LONG_FUNCTION_EXCEPTIONS].filter((key) => !long.some((f) => f.key === key))).toEqual([]);
  });
});

describe('architecture of src/', () => {
  const graph = importGraph();

  it('finds the imports of every kind', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/index.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "const g = require('./g.js');",
      "import * as fs from 'node:fs';",
      "// import { h } from './h.js';",
      'import {\n  i,\n  type I,\n} from "./i.js";',
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual(['../b/index.js', './a.js', './c.js', './d.js', './e.js', './f.js', './g.js', './i.js']);
    expect(graph.get('cli.ts')?.length).toBeGreaterThan(0);
  });

  it('detects a cycle and an upward import when there is one', () => {
    const cyclic = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(findCycles(cyclic)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    expect(forbiddenImport('model/train.ts', 'generate/generate.ts')).toBe('model/ is below generate/');
    expect(forbiddenImport('generate/generate.ts', 'model/types.ts')).toBeNull();
    expect(forbiddenImport('cluster/figures.ts', 'viz/types.ts')).toBeNull();
    expect(forbiddenImport('cluster/kmeans.ts', 'model/types.ts')).not.toBeNull();
    expect(forbiddenImport('index.ts', 'cli/run.ts')).toBeNull();
  });

  it('has no import cycles', () => {
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('has no import from a lower stage to a higher one', () => {
    const wrong: string[] = [];
    for (const [from, imports] of graph) {
      for (const to of imports) {
        const why = forbiddenImport(from, to);
        if (why) wrong.push(`${from} → ${to}: ${why}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
