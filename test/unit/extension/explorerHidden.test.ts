/** The explorer's state of the predict-the-shape exercise: which layer's output (and editor hint) is hidden. */
import { describe, expect, it } from 'vitest';
import { ExplorerState } from '../../../src/extension/explorer/state';

const DOC = 'file:///w/net.py';
const OTHER = 'file:///w/other.py';

describe('ExplorerState: the hidden output', () => {
  it('nothing is hidden at first, and nothing can be hidden before a document is selected', () => {
    const s = new ExplorerState();
    expect(s.isOutputHidden(DOC, 'conv2d')).toBe(false);
    expect(s.setOutputHidden('conv2d', true)).toBe(false);
    expect(s.isOutputHidden(DOC, 'conv2d')).toBe(false);
  });

  it('hiding a layer of the selected document; showing it again', () => {
    const s = new ExplorerState();
    s.select(DOC, 'model', 0);
    expect(s.setOutputHidden('conv2d', true)).toBe(true);
    expect(s.isOutputHidden(DOC, 'conv2d')).toBe(true);
    // the same layer name in another document, another layer of this one: not hidden
    expect(s.isOutputHidden(OTHER, 'conv2d')).toBe(false);
    expect(s.isOutputHidden(DOC, 'conv2d_1')).toBe(false);
    expect(s.setOutputHidden('conv2d', true)).toBe(false);
    expect(s.setOutputHidden('conv2d', false)).toBe(true);
    expect(s.isOutputHidden(DOC, 'conv2d')).toBe(false);
  });

  it('one layer at a time: hiding another replaces it; showing a layer that is not hidden changes nothing', () => {
    const s = new ExplorerState();
    s.select(DOC, 'model', 0);
    s.setOutputHidden('conv2d', true);
    expect(s.setOutputHidden('max_pooling2d', true)).toBe(true);
    expect(s.isOutputHidden(DOC, 'conv2d')).toBe(false);
    expect(s.isOutputHidden(DOC, 'max_pooling2d')).toBe(true);
    expect(s.setOutputHidden('conv2d', false)).toBe(false);
    expect(s.isOutputHidden(DOC, 'max_pooling2d')).toBe(true);
  });

  it('the hidden layer stays with its document when another is selected', () => {
    const s = new ExplorerState();
    s.select(DOC, 'model', 0);
    s.setOutputHidden('conv2d', true);
    s.select(OTHER, 'net', 0);
    expect(s.isOutputHidden(DOC, 'conv2d')).toBe(true);
    // showing a layer of the same name in the other document does not touch it
    expect(s.setOutputHidden('conv2d', false)).toBe(false);
    expect(s.isOutputHidden(DOC, 'conv2d')).toBe(true);
    expect(s.setOutputHidden('features.0', true)).toBe(true);
    expect(s.isOutputHidden(DOC, 'conv2d')).toBe(false);
    expect(s.isOutputHidden(OTHER, 'features.0')).toBe(true);
  });
});
