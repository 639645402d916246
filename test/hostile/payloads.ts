/**
 * The script payloads of the security tests and the static check of exported HTML, shared by
 * test/hostile/security.test.ts (Node only) and test/e2e/security-browser.test.ts (the same pages in Chromium).
 */
import type { MimeBundle } from '../../src/viz/notebook.js';
import { NotebookDisplay } from '../../src/viz/notebook.js';
import { renderHtmlPage } from '../../src/viz/html.js';
import { barChartFigure, histogramFigure, lineChartFigure } from '../../src/viz/figures.js';

/** Each payload calls alert(<n>) if it ever runs; the browser test listens for any dialog. */
export const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '<a href="javascript:alert(3)">click me</a>',
  '"><svg onload=alert(4)>',
  '</script><script>alert(5)</script>',
  'javascript:alert(6)',
  "'-alert(7)-'",
  '<iframe src="javascript:alert(8)"></iframe>',
  '<body onload=alert(9)>',
  '{{constructor.constructor("alert(10)")()}}',
  '<style>@import "javascript:alert(11)";</style>',
  '<math><mi xlink:href="javascript:alert(12)">x</mi></math>',
];

/**
 * Static checks of exported HTML: no payload verbatim; outside <script>/<style> contents no dangerous element,
 * no on* attribute and no javascript: URL in any tag; no markup inside any script block (figure JSON and the
 * base64 plotly bundle alike). Whether anything runs is the browser test's job.
 */
export function unsafeMarkup(html: string): string[] {
  const problems: string[] = [];
  for (const p of PAYLOADS) if (p.includes('<') && html.includes(p)) problems.push(`payload verbatim: ${p}`);
  const scripts: string[] = [];
  const outside = html.replace(/<(script|style)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi, (_m, tag: string, body: string) => {
    if (tag.toLowerCase() === 'script') scripts.push(body);
    return `<${tag}></${tag}>`;
  });
  for (const body of scripts) {
    // A "<" before a letter, "/" or "!" could close the script or open a tag; escaped text shows up as \u003c.
    const m = /<[a-zA-Z/!]/.exec(body);
    if (m) problems.push(`markup inside a script block: ${body.slice(Math.max(0, m.index - 40), m.index + 40)}`);
  }
  for (const m of outside.matchAll(/<([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const [tag, name, attrs] = m as unknown as [string, string, string];
    if (/^(img|svg|iframe|object|embed|math|base|form)$/i.test(name)) problems.push(`element <${name}>`);
    if (/\son\w+\s*=/i.test(attrs)) problems.push(`event handler attribute in ${tag}`);
    if (/=\s*["']?\s*javascript:/i.test(attrs)) problems.push(`javascript: URL in ${tag}`);
  }
  return problems;
}

/** A corpus whose every post carries a payload among ordinary words. */
export function payloadCorpus(): string {
  const words = 'the cat sat on a mat and the dog ran to the park with a red ball while birds sang songs'.split(' ');
  let s = 'id,text\n';
  for (let i = 0; i < 90; i++) {
    const t = Array.from({ length: 6 + (i % 5) }, (_, j) => words[(i * 7 + j * 3) % words.length] as string);
    t.splice(1 + (i % 4), 0, PAYLOADS[i % PAYLOADS.length] as string);
    s += `${i + 1},"${t.join(' ').replace(/"/g, '""')}"\n`;
  }
  return s;
}

/** Every notebook display helper fed the payloads: the bundles it showed and a report page made of them. */
export function payloadDisplays(): { shown: MimeBundle[]; page: string } {
  const shown: MimeBundle[] = [];
  const nb = new NotebookDisplay({ show: (b) => void shown.push(b) });
  const P = PAYLOADS;
  nb.setupPage();
  nb.figure(histogramFigure([1, 2, 2, 3, 5], { title: P[0], xTitle: P[1], yTitle: P[2] } as never));
  nb.figure(lineChartFigure([{ name: P[3] as string, x: [1, 2], y: [3, 4] }], { title: P[4] } as never));
  nb.figure(barChartFigure(P.slice(0, 4), [{ name: P[5] as string, values: [1, 2, 3, 4] }], { title: P[6] } as never));
  nb.figure({ data: [{ type: 'scatter', x: [1], y: [1], text: [P[0]], hovertext: [P[1]], name: P[4] }], layout: { title: { text: P[2] }, annotations: [{ text: P[3] }] } } as never);
  nb.table(P.map((p, i) => ({ [p]: p, n: i })), { caption: P[4] });
  nb.table(P.map((p) => [p, p]), { columns: [P[0] as string, P[1] as string] });
  nb.describe({ [P[0] as string]: { count: 1, mean: 1, std: 0, min: 1, q25: 1, q50: 1, q75: 1, max: 1 } } as never, { caption: P[1] } as never);
  nb.keyValues({ [P[2] as string]: P[3], nested: { deep: P[4] } }, { caption: P[5], keyHeader: P[6], valueHeader: P[7] });
  for (const p of P) nb.text(p);
  const prog = nb.progress(P[0]);
  prog.update({ label: P[1], epoch: 1, epochs: 2, note: P[2] }, true);
  prog.log(P[3] as string);
  prog.update(P[4] as string, true);
  prog.done(P[5]);
  const page = renderHtmlPage({
    title: P[0] as string,
    subtitle: [P[1] as string],
    sections: [{ heading: P[2] as string, blocks: [{ text: P[3] as string }, { list: P.slice() }, { table: [{ a: P[4] }], caption: P[5] }] }],
    footer: P[6],
  });
  return { shown, page };
}

/** One page holding every notebook display output followed by the report page's body, for the browser test. */
export function notebookOutputsPage(htmls: readonly string[], page: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${htmls.join('\n')}${page}</body></html>`;
}
