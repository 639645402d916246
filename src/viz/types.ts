/**
 * A chart as plain plotly JSON. Library functions return these; one renderer turns them into notebook output
 * (tslab) or into the HTML report, so every chart is built once and shown in two places.
 */
export interface Figure {
  /** plotly traces */
  data: Record<string, unknown>[];
  /** plotly layout */
  layout: Record<string, unknown>;
  /** plotly config (e.g. { responsive: true }) */
  config?: Record<string, unknown>;
}
