import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { plotlyBundlePath, plotlyBundleScript } from './plotly.js';

/**
 * What a notebook page needs once: plotly.js for its charts and a style that wraps long code lines when the
 * notebook is exported to HTML (nbconvert's lab and classic templates; the live editor is not affected).
 */
const PAGE_CSS =
  '.jp-InputArea-editor .highlight pre,div.input_area .highlight pre,.highlight pre{white-space:pre-wrap;overflow-wrap:anywhere}';

let version: string | undefined;

/** The version of the plotly.js bundle that is sent (from plotly.js-dist-min's package.json). */
export function plotlyVersion(): string {
  if (!version) {
    const pkg = path.join(path.dirname(plotlyBundlePath()), 'package.json');
    version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  }
  return version;
}

/** The setup output: `bundle` alone (for a chart that must carry it), the whole `html`, and a `plain` line. */
export function pageSetupHtml(): { bundle: string; html: string; plain: string } {
  const bundle = plotlyBundleScript();
  const plain = `Charts: plotly.js ${plotlyVersion()} is sent once with this output for every chart on the page.`;
  const html =
    `<style>${PAGE_CSS}</style>\n${bundle}\n` +
    `<div class="tweetlab-setup" style="color:#555;font-size:12px">${plain} Re-run this cell if a chart says plotly.js is missing.</div>`;
  return { bundle, html, plain };
}
