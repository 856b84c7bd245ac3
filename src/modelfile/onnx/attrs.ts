/**
 * A node's attributes by name, typed as read: ints, floats, strings, tensors. A value of the wrong
 * attribute type reads as absent (the op's default then applies, or the op reports it missing).
 */
import { ATTR, int, type OnnxAttribute, type OnnxNode, type OnnxTensorProto } from './proto';

const decoder = new TextDecoder();

export class Attrs {
  private readonly byName = new Map<string, OnnxAttribute>();

  constructor(node: OnnxNode) {
    for (const a of node.attribute) this.byName.set(a.name, a);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  int(name: string, dflt: number): number {
    const a = this.byName.get(name);
    return a && a.type === ATTR.INT ? int(a.i) : dflt;
  }

  float(name: string, dflt: number): number {
    const a = this.byName.get(name);
    return a && a.type === ATTR.FLOAT ? a.f : dflt;
  }

  string(name: string, dflt: string): string {
    const a = this.byName.get(name);
    return a && a.type === ATTR.STRING ? decoder.decode(a.s) : dflt;
  }

  ints(name: string): number[] | null {
    const a = this.byName.get(name);
    return a && a.type === ATTR.INTS ? a.ints.map(int) : null;
  }

  floats(name: string): number[] | null {
    const a = this.byName.get(name);
    return a && a.type === ATTR.FLOATS ? [...a.floats] : null;
  }

  tensor(name: string): OnnxTensorProto | null {
    const a = this.byName.get(name);
    return a && a.type === ATTR.TENSOR ? a.t : null;
  }
}
