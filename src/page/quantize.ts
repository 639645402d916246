/**
 * Weight encodings for the browser page: float32 (exact), float16 (half the bytes) or int8 with one scale per
 * row (a quarter). Shared by the page writer (Node) and the page's worker (browser), so both sides decode the
 * same way; base64 goes through atob/btoa, which Node 20 and every browser have.
 */

export type WeightPrecision = 'float32' | 'float16' | 'int8';

export const WEIGHT_PRECISIONS: readonly WeightPrecision[] = ['float32', 'float16', 'int8'];

/** Weights as shipped inside the page (canonical order of `weightSpecs`). */
export interface EncodedWeights {
  precision: WeightPrecision;
  shapes: number[][];
  /** base64 of the values: float32 / float16 little-endian, or int8. */
  data: string;
  /** int8 only: base64 of one float32 scale per row (rows = shape[0] of a matrix, 1 for a vector). */
  scales?: string;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half bits, rounding to nearest even (overflow → ±Infinity, underflow → subnormal or 0). */
export function toHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 112; // re-biased exponent (127 → 15)
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1) === 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h++; // a carry into the exponent is still right
  return sign | h;
}

/** IEEE half bits → number. */
export function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m !== 0 ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

export function bytesToBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 0x8000)));
  }
  return btoa(text);
}

export function base64ToBytes(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function rowsOf(shape: readonly number[]): number {
  return shape.length >= 2 ? (shape[0] as number) : 1;
}

function int8Encode(values: readonly Float32Array[], shapes: readonly number[][]): { data: Uint8Array; scales: Float32Array } {
  const total = values.reduce((n, v) => n + v.length, 0);
  const data = new Int8Array(total);
  const scales = new Float32Array(shapes.reduce((n, s) => n + rowsOf(s), 0));
  let offset = 0;
  let row = 0;
  values.forEach((v, k) => {
    const rows = rowsOf(shapes[k] as number[]);
    const cols = v.length / rows;
    for (let r = 0; r < rows; r++, row++) {
      let max = 0;
      for (let j = 0; j < cols; j++) max = Math.max(max, Math.abs(v[r * cols + j] as number));
      const scale = max > 0 ? Math.fround(max / 127) : 1;
      scales[row] = scale;
      for (let j = 0; j < cols; j++) data[offset + r * cols + j] = Math.max(-127, Math.min(127, Math.round((v[r * cols + j] as number) / scale)));
    }
    offset += v.length;
  });
  return { data: new Uint8Array(data.buffer), scales };
}

/** Encodes weights (canonical order) for the page. */
export function encodeWeights(values: readonly Float32Array[], shapes: readonly number[][], precision: WeightPrecision): EncodedWeights {
  const copyShapes = shapes.map((s) => [...s]);
  if (precision === 'int8') {
    const { data, scales } = int8Encode(values, shapes);
    return { precision, shapes: copyShapes, data: bytesToBase64(data), scales: bytesToBase64(new Uint8Array(scales.buffer)) };
  }
  const total = values.reduce((n, v) => n + v.length, 0);
  const out = precision === 'float16' ? new Uint16Array(total) : new Float32Array(total);
  let offset = 0;
  for (const v of values) {
    if (out instanceof Uint16Array) for (let i = 0; i < v.length; i++) out[offset + i] = toHalfBits(v[i] as number);
    else out.set(v, offset);
    offset += v.length;
  }
  return { precision, shapes: copyShapes, data: bytesToBase64(new Uint8Array(out.buffer)) };
}

function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Decodes page weights back to float32 arrays (canonical order). */
export function decodeWeights(enc: EncodedWeights): Float32Array[] {
  const bytes = base64ToBytes(enc.data);
  const total = enc.shapes.reduce((n, s) => n + sizeOfShape(s), 0);
  const width = enc.precision === 'float32' ? 4 : enc.precision === 'float16' ? 2 : 1;
  if (bytes.length !== total * width) throw new Error(`page weights hold ${bytes.length} bytes, the shapes need ${total * width}`);
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  const flat = new Float32Array(total);
  if (enc.precision === 'float32') flat.set(new Float32Array(aligned.buffer));
  else if (enc.precision === 'float16') {
    const halves = new Uint16Array(aligned.buffer);
    for (let i = 0; i < total; i++) flat[i] = fromHalfBits(halves[i] as number);
  } else {
    const q = new Int8Array(aligned.buffer);
    const scales = new Float32Array(base64ToBytes(enc.scales ?? '').slice().buffer);
    let offset = 0;
    let row = 0;
    for (const shape of enc.shapes) {
      const rows = rowsOf(shape);
      const cols = sizeOfShape(shape) / rows;
      for (let r = 0; r < rows; r++, row++) {
        const scale = scales[row] as number;
        for (let j = 0; j < cols; j++) flat[offset + r * cols + j] = (q[offset + r * cols + j] as number) * scale;
      }
      offset += sizeOfShape(shape);
    }
  }
  const out: Float32Array[] = [];
  let offset = 0;
  for (const shape of enc.shapes) {
    const n = sizeOfShape(shape);
    out.push(flat.slice(offset, offset + n));
    offset += n;
  }
  return out;
}
