import { qualitySection } from './quality-section.js';
import * as path from 'node:path';
import { formatCsv } from '../util/csv.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/fs.js';
import { renderHtmlPage, type PageSection } from '../viz/html.js';
import { evaluationSection } from './evaluation-section.js';
import { cleaningSection, corpusSection, generatedSection, modelsSection, runSection, trainingSetsSection } from './sections.js';
import type { GeneratedPostRow, ReportExtras, RunSummary } from './types.js';

export interface WrittenReport {
  /** Absolute paths of the three files. */
  report: string;
  summary: string;
  generated: string;
}

export const REPORT_FILE = 'report.html';
export const SUMMARY_FILE = 'summary.json';
export const GENERATED_FILE = 'generated.csv';

/** generated.csv: one row per generated post with the columns model, epoch, seed, text, purpose (RFC 4180). */
export function formatGeneratedCsv(posts: readonly GeneratedPostRow[]): string {
  return formatCsv(
    ['model', 'epoch', 'seed', 'text', 'purpose'],
    posts.map((p) => [p.model, String(p.epoch), String(p.seed), p.text, p.purpose]),
    { neutraliseFormulas: true }, // generated text is built from untrusted posts' words
  );
}

/**
 * Writes report.html, summary.json and generated.csv into `outDir`, each atomically (temp file + rename), so an
 * interrupted run never leaves half a report.
 */
export async function writeRunReport(outDir: string, summary: RunSummary, extras: ReportExtras): Promise<WrittenReport> {
  const files: WrittenReport = {
    report: path.resolve(outDir, REPORT_FILE),
    summary: path.resolve(outDir, SUMMARY_FILE),
    generated: path.resolve(outDir, GENERATED_FILE),
  };
  await writeFileAtomic(files.generated, formatGeneratedCsv(extras.generated));
  await writeJsonAtomic(files.summary, summary);
  await writeFileAtomic(files.report, renderRunReport(summary, extras));
  return files;
}

/** The whole report page as HTML (pure; writeRunReport writes it). Every text is escaped by the viz renderer. */
export function renderRunReport(summary: RunSummary, extras: ReportExtras): string {
  const c = summary.corpus;
  const sections: PageSection[] = [
    qualitySection(summary, extras.ablation),
    corpusSection(summary, extras.figures),
    cleaningSection(summary, extras.cleaningExamples),
    trainingSetsSection(summary),
    modelsSection(summary),
    evaluationSection(summary),
    generatedSection(summary, extras.generated),
    runSection(summary),
  ];
  return renderHtmlPage({
    title: 'tweetlab run report',
    subtitle: [
      `${c.source.kind}: ${c.source.name}`,
      `${summary.startedAt} · preset ${summary.preset} · backend ${summary.backend}`,
    ],
    sections,
    footer: `tweetlab ${summary.versions.tweetlab} · run ${summary.runId}`,
  });
}
