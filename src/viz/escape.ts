import type { Figure } from './types.js';

/**
 * Post text is untrusted: every text that reaches HTML goes through escapeHtml, every JSON that reaches a
 * <script> goes through jsonForScript, and every figure plotly draws goes through sanitizeFigure.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Bidirectional controls (embeddings, overrides, isolates, LRM/RLM) let a post reorder the text around it
 * ("Trojan Source"); a post must be shown, not obeyed, so each becomes a visible `[U+202E]` (issue 15).
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F]/g;

/** Replaces every bidirectional control character by its visible code, e.g. `[U+202E]`. */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return showBidiControls(String(text ?? '')).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON that is safe inside an inline <script>: no `</script>`, `<!--`, or line separators can end the script
 * or change how it parses, whatever the strings contain.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Plotly renders strings as a small HTML subset (<b>, <a href>, <br>). Strings in our figures may hold post
 * text, so `<` and `>` become entities that plotly shows literally instead of interpreting. Keys ending in
 * "template" (hovertemplate, texttemplate) are left alone: they are written by figure builders, which must
 * escape any data they interpolate into them (escapeHtml).
 */
export function sanitizeFigure(fig: Figure): Figure {
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return showBidiControls(v).replace(/</g, '&lt;').replace(/>/g, '&gt;');
    if (Array.isArray(v)) return v.map(clean);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[k] = /template$/i.test(k) ? inner : clean(inner);
      return out;
    }
    return v;
  };
  return clean(fig) as Figure;
}
