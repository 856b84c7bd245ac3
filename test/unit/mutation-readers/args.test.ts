/**
 * Reading a layer call's arguments as Python binds them: positional parameters in signature order,
 * keywords by name, None as "use the default", an int standing for a whole tuple (PyTorch's
 * `_pair`, Keras' `standardize_tuple`), Python truthiness for flags, and Keras activations given
 * as a name, a function or None ('linear' and None are no activation).
 */
import { describe, expect, it } from 'vitest';
import {
  activationName,
  bind,
  boolOr,
  intOr,
  intTuple,
  numOr,
  type CallArgs,
} from '../../../src/analysis/frameworks/args';
import type { Range } from '../../../src/analysis/python/ast';
import type { Value } from '../../../src/analysis/interp/values';

const num = (v: number): Value => ({ t: 'num', v });
const str = (v: string): Value => ({ t: 'str', v });
const tup = (...xs: number[]): Value => ({ t: 'tuple', items: xs.map(num) });
const NONE: Value = { t: 'none' };
const r = (from: number): Range => ({ from, to: from + 1 }) as Range;

function call(positional: Value[], keywords: [string, Value][] = []): CallArgs {
  return {
    positional,
    keywords: new Map(keywords),
    posRanges: positional.map((_, i) => r(i * 10)),
    kwRanges: new Map(keywords.map(([k], i) => [k, r(100 + i * 10)])),
  };
}

describe('bind', () => {
  it('positional arguments take the parameters in order, keywords by name, each with its source range', () => {
    const b = bind(
      ['in_channels', 'out_channels', 'kernel_size', 'stride'],
      call([num(3), num(8)], [['kernel_size', num(5)]]),
    );
    expect([...b.values.entries()]).toEqual([
      ['in_channels', num(3)],
      ['out_channels', num(8)],
      ['kernel_size', num(5)],
    ]);
    expect(b.ranges).toEqual({ in_channels: r(0), out_channels: r(10), kernel_size: r(100) });
  });
  it('positional arguments past the signature are not bound to anything', () => {
    const b = bind(['units'], call([num(4), num(5)]));
    expect([...b.values.keys()]).toEqual(['units']);
    expect(Object.keys(b.ranges)).toEqual(['units']);
  });
  it('an argument without a source range binds its value only', () => {
    const b = bind(['a', 'b'], {
      positional: [num(1)],
      keywords: new Map([['b', num(2)]]),
      posRanges: [],
      kwRanges: new Map(),
    });
    expect(b.values.get('a')).toEqual(num(1));
    expect(b.values.get('b')).toEqual(num(2));
    expect(b.ranges).toEqual({});
  });
});

describe('intTuple: an int or a tuple of rank ints', () => {
  it('absent or None: the default, repeated; no default: unknown', () => {
    expect(intTuple(undefined, 2, 1)).toEqual([1, 1]);
    expect(intTuple(NONE, 2, 1)).toEqual([1, 1]);
    expect(intTuple(undefined, 2, null)).toBeNull();
    expect(intTuple(NONE, 1, null)).toBeNull();
  });
  it('one int (or a 1-tuple) is repeated; a tuple of the rank is kept; any other length is unreadable', () => {
    expect(intTuple(num(3), 2, null)).toEqual([3, 3]);
    expect(intTuple(tup(3), 2, null)).toEqual([3, 3]);
    expect(intTuple(tup(3, 5), 2, null)).toEqual([3, 5]);
    expect(intTuple(tup(3, 5, 7), 2, null)).toBeNull();
    expect(intTuple(str('3'), 2, 1)).toBeNull();
  });
});

describe('intOr, numOr, boolOr', () => {
  it('intOr: None and absent are the default; a non-integer is unknown', () => {
    expect([intOr(undefined, 4), intOr(NONE, 4), intOr(num(7), 4), intOr(num(2.5), 4)]).toEqual([4, 4, 7, null]);
  });
  it('numOr: a number, else the default', () => {
    expect([numOr(undefined, 0.5), numOr(num(0.1), 0.5), numOr(str('x'), 0.5), numOr(NONE, 0.5)]).toEqual([
      0.5, 0.1, 0.5, 0.5,
    ]);
  });
  it('boolOr: Python truthiness of True/False, numbers and None; anything unread keeps the default', () => {
    expect([boolOr(undefined, true), boolOr(undefined, false)]).toEqual([true, false]);
    expect([boolOr({ t: 'bool', v: false }, true), boolOr({ t: 'bool', v: true }, false)]).toEqual([false, true]);
    expect([boolOr(num(0), true), boolOr(num(2), false)]).toEqual([false, true]);
    expect(boolOr(NONE, true)).toBe(false);
    expect([boolOr(str('yes'), false), boolOr(str('yes'), true)]).toEqual([false, true]);
  });
});

describe('activationName', () => {
  it("None, absent and 'linear' are no activation", () => {
    expect([activationName(undefined), activationName(NONE), activationName(str('linear'))]).toEqual([
      null,
      null,
      null,
    ]);
  });
  it('a name is itself; a framework function is its last name', () => {
    expect(activationName(str('relu'))).toBe('relu');
    expect(activationName({ t: 'qual', path: 'keras.activations.sigmoid' })).toBe('sigmoid');
    expect(activationName({ t: 'qual', path: 'tf.nn.relu' })).toBe('relu');
    expect(activationName({ t: 'qual', path: 'keras.activations.linear' })).toBeNull();
  });
  it('anything else is unknown', () => {
    expect(activationName(num(1))).toBe('unknown');
  });
});
