/** A span of source text, as character offsets. */
export interface Range {
  from: number;
  to: number;
}
