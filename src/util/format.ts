/** Text formatting shared by the terminal progress printer and the notebook progress display. */

/** "0:42", "12:03", "1:01:01"; "?" when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** What a training loop reports; every field optional. */
export interface ProgressStatus {
  /** Which model or stage (e.g. "Model 1"). */
  label?: string;
  epoch?: number;
  epochs?: number;
  batch?: number;
  batches?: number;
  loss?: number;
  valLoss?: number;
  /** Seconds since the start. */
  elapsed?: number;
  /** Estimated seconds left. */
  eta?: number;
  /** Free text appended at the end. */
  note?: string;
}

/** One progress line: "Model 1 · epoch 3/20 · batch 40/120 · loss 5.1234 · 0:42 elapsed · ETA 3:10". */
export function formatProgress(status: ProgressStatus): string {
  const parts: string[] = [];
  if (status.label) parts.push(status.label);
  if (status.epoch !== undefined) parts.push(`epoch ${status.epoch}${status.epochs !== undefined ? '/' + status.epochs : ''}`);
  if (status.batch !== undefined) parts.push(`batch ${status.batch}${status.batches !== undefined ? '/' + status.batches : ''}`);
  if (status.loss !== undefined) parts.push(`loss ${status.loss.toFixed(4)}`);
  if (status.valLoss !== undefined) parts.push(`val loss ${status.valLoss.toFixed(4)}`);
  if (status.elapsed !== undefined) parts.push(`${formatDuration(status.elapsed)} elapsed`);
  if (status.eta !== undefined) parts.push(`ETA ${formatDuration(status.eta)}`);
  if (status.note) parts.push(status.note);
  return parts.join(' · ');
}
