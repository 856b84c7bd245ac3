/**
 * Memory the engine does not zero (tensor.ts unfilledFloats, from Buffer.allocUnsafeSlow) is
 * filled with 0xff bytes here — every float a NaN — so that any value a kernel or loop fails to
 * write shows up in the results the tests compare, instead of the zeros fresh memory often holds.
 */
import { Buffer } from 'node:buffer';

const original = Buffer.allocUnsafeSlow.bind(Buffer);
Buffer.allocUnsafeSlow = ((size: number) => original(size).fill(0xff)) as typeof Buffer.allocUnsafeSlow;
