/** What `tweetlab ablation` writes (out/ablation.json) and the report shows. */
export interface AblationRow {
  /** The technique this row adds to the row above ("+ tied embeddings" …). */
  step: string;
  postPerplexity: number;
  postRatio: number;
  windowedPerplexity: number;
  windowedRatio: number;
  bestEpoch: number;
  /** Training seconds of this row's model. */
  seconds: number;
}

export interface AblationResult {
  /** The command that measured it. */
  command: string;
  /** ISO date of the measurement. */
  date: string;
  engine: string;
  corpus: string;
  rows: AblationRow[];
}
