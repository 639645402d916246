import type { Describe } from '../types.js';
import type { Figure } from './types.js';
import { escapeHtml } from './escape.js';
import { plotlyBundleScript, renderFigureHtml } from './plotly.js';
import { TABLE_CSS, describeTableHtml, htmlTable, type TableRow } from './tables.js';

/**
 * The one HTML renderer behind both sinks: notebook outputs (see notebook.ts) and the standalone report page
 * (below). Escaping lives in escape.ts, charts in plotly.ts, tables in tables.ts; this module re-exports them.
 */
export { escapeHtml, jsonForScript, sanitizeFigure, showBidiControls } from './escape.js';
export { renderFigureHtml, plotlyBundlePath, plotlyBundleScript, plotlyLoaderScript, type FigureHtmlOptions } from './plotly.js';
export {
  htmlTable,
  describeTableHtml,
  DESCRIBE_ROW_LABELS,
  TABLE_CSS,
  type TableRow,
  type TableOptions,
  type DescribeTableOptions,
} from './tables.js';

/** A block of a report section. Text is always escaped; `html` must come from this module's renderers. */
export type PageBlock =
  | { text: string }
  | { list: string[] }
  | { figure: Figure; caption?: string }
  | { table: TableRow[]; columns?: string[]; caption?: string; digits?: number; maxRows?: number }
  | { describe: Describe | Record<string, Describe>; caption?: string; digits?: number }
  | { html: string };

export interface PageSection {
  heading: string;
  blocks: PageBlock[];
}

export interface HtmlPageOptions {
  title: string;
  /** Lines under the title (source, date, backend …); escaped. */
  subtitle?: string[];
  sections: PageSection[];
  /** Footer line; escaped. */
  footer?: string;
}

/**
 * A standalone offline HTML page (the run report): every text escaped, the plotly bundle inlined once, one
 * div per chart with ids figure-1, figure-2, … in page order.
 */
export function renderHtmlPage(page: HtmlPageOptions): string {
  let figureCount = 0;
  const body: string[] = [];
  body.push(`<h1>${escapeHtml(page.title)}</h1>`);
  for (const line of page.subtitle ?? []) body.push(`<p class="subtitle">${escapeHtml(line)}</p>`);
  const hasFigures = page.sections.some((s) => s.blocks.some((b) => 'figure' in b));
  if (hasFigures) body.push(plotlyBundleScript());
  page.sections.forEach((section, i) => {
    body.push(`<section id="section-${i + 1}">`);
    body.push(`<h2>${escapeHtml(section.heading)}</h2>`);
    for (const block of section.blocks) {
      if ('text' in block) body.push(`<p>${escapeHtml(block.text)}</p>`);
      else if ('list' in block) body.push('<ul>' + block.list.map((t) => `<li>${escapeHtml(t)}</li>`).join('') + '</ul>');
      else if ('figure' in block) {
        figureCount += 1;
        body.push('<figure>');
        body.push(renderFigureHtml(block.figure, { divId: `figure-${figureCount}` }));
        if (block.caption !== undefined) body.push(`<figcaption>${escapeHtml(block.caption)}</figcaption>`);
        body.push('</figure>');
      } else if ('table' in block) {
        body.push(
          htmlTable(block.table, {
            columns: block.columns,
            caption: block.caption,
            digits: block.digits,
            maxRows: block.maxRows,
          }),
        );
      } else if ('describe' in block) {
        body.push(describeTableHtml(block.describe, { caption: block.caption, digits: block.digits }));
      } else body.push(block.html);
    }
    body.push('</section>');
  });
  if (page.footer !== undefined) body.push(`<footer>${escapeHtml(page.footer)}</footer>`);
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(page.title)}</title>\n` +
    '<style>' +
    'body{font-family:"Liberation Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}' +
    'h1{margin-bottom:0.2em}.subtitle{margin:0.1em 0;color:#555}section{margin-top:2em}' +
    'figure{margin:1em 0}figcaption{color:#555;font-size:13px}footer{margin-top:3em;color:#777;font-size:12px}' +
    TABLE_CSS +
    '</style>\n</head>\n<body>\n' +
    body.join('\n') +
    '\n</body>\n</html>\n'
  );
}
