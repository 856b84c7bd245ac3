/**
 * Questions about a placed layer (a LayerNode of a ModelGraph), answered by its family with the
 * framework's conventions and what shape inference found for it.
 */
import { conventions } from './conventions';
import type { LayerNode } from './ir';
import {
  equivalentOf,
  layerParams,
  panelOf,
  type LayerCfg,
  type LayerFacts,
  type PanelSpec,
  type ParamSpec,
} from './layers';

export function factsOf(node: LayerNode): LayerFacts {
  return {
    conv: conventions(node.spec.framework),
    inputShapes: node.inputShapes,
    outputShape: node.outputShape,
    geometry: node.geometry,
  };
}

/** The parameters a layer owns, in the framework's order; empty for layers without weights, null when not known. */
export function paramSpecs(node: LayerNode): ParamSpec[] | null {
  return layerParams(node.spec.cfg, factsOf(node));
}

/** The same layer in the other framework, as code. */
export function equivalentCode(node: LayerNode): string | null {
  return equivalentOf(node.spec.cfg, factsOf(node));
}

export function panelSpec(node: LayerNode): PanelSpec<LayerCfg> {
  return panelOf(node.spec.cfg);
}

/** The display name in messages: "Conv2D 'conv2d_1'", or the function for functional ops. */
export function layerLabel(node: Pick<LayerNode, 'name' | 'spec'>): string {
  return `${node.spec.type} '${node.name}'`;
}
