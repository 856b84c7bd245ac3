/**
 * Number formatting for the panel: short, stable, locale-independent (values are compared by eye
 * across tiles and the stamp arithmetic, so every place formats the same way).
 */

/** At most 4 significant digits, trailing zeros dropped; exponent form for tiny or huge values. */
export function fmt(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(Math.max(0, digits - 2)).replace('e+', 'e');
  const s = v.toPrecision(digits);
  return s.includes('.') && !s.includes('e') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Integers with thin grouping: 313700 → "313,700". */
export function fmtInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A percentage for probabilities: 0.1234 → "12.3%". */
export function fmtPct(p: number): string {
  return `${(p * 100).toFixed(p >= 0.9995 || p < 0.0005 ? 0 : 1)}%`;
}

/** "28×28". */
export function dims(h: number, w: number): string {
  return `${h}×${w}`;
}
