/** The chart type every figure builder returns; it lives with the other shared types in src/types.ts. */
export type { Figure } from '../types.js';
