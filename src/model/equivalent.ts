/**
 * The same layer in the other framework, as code: Keras ⇄ PyTorch. 'same' padding becomes an
 * explicit padding (symmetric when the total is even; otherwise a ZeroPad2d/ZeroPadding2D in
 * front, because TF puts the extra pixel bottom/right).
 */
import type { LayerNode } from './ir';
import { isKnown } from '../shared/dims';

function tuple(v: readonly number[]): string {
  return v.every((x) => x === v[0]) ? String(v[0]) : `(${v.join(', ')})`;
}

function inChannels(node: LayerNode): string {
  const s = node.inputShapes[0];
  if (!s || s.length < 2) return 'in_channels';
  const d = node.spec.framework === 'keras' ? s[s.length - 1]! : s[1]!;
  return isKnown(d) ? String(d) : 'in_channels';
}

export function equivalentCode(node: LayerNode): string | null {
  const cfg = node.spec.cfg;
  const toTorch = node.spec.framework === 'keras';
  if (cfg.kind === 'conv' && !cfg.c.transposed && cfg.c.rank === 2) {
    const c = cfg.c;
    const g = node.geometry;
    let pad = '0';
    let prefix = '';
    if (c.padding === 'same' || typeof c.padding !== 'string') {
      const p = g ? [g.padTop, g.padBottom, g.padLeft, g.padRight] : typeof c.padding !== 'string' ? [c.padding[0]![0], c.padding[0]![1], c.padding[1]![0], c.padding[1]![1]] : null;
      if (p && p[0] === p[1] && p[2] === p[3]) pad = tuple([p[0]!, p[2]!]);
      else if (p) {
        prefix = toTorch ? `nn.ZeroPad2d((${p[2]}, ${p[3]}, ${p[0]}, ${p[1]})), ` : `layers.ZeroPadding2D(((${p[0]}, ${p[1]}), (${p[2]}, ${p[3]}))), `;
        pad = toTorch ? '0' : 'valid';
      }
    }
    const k = tuple(c.kernel);
    const s = tuple(c.strides);
    const d = tuple(c.dilation);
    if (toTorch) {
      const cin = inChannels(node);
      const groups = c.depthwise === 'depthwise' ? `, groups=${cin}` : c.groups > 1 ? `, groups=${c.groups}` : '';
      const cout = c.depthwise === 'depthwise' ? (cin === 'in_channels' ? `in_channels * ${c.depthMultiplier}` : String(Number(cin) * c.depthMultiplier)) : String(c.filters);
      const act = c.activation && c.activation !== 'linear' ? `, nn.${TORCH_ACT[c.activation] ?? 'ReLU'}()` : '';
      return `${prefix}nn.Conv2d(${cin}, ${cout}, kernel_size=${k}${s !== '1' ? `, stride=${s}` : ''}, padding=${pad}${d !== '1' ? `, dilation=${d}` : ''}${groups}${c.useBias ? '' : ', bias=False'})${act}`;
    }
    const kerasPad = pad === '0' ? "'valid'" : g && g.padTop + g.padBottom === (c.kernel[0]! - 1) * c.dilation[0]! && c.strides.every((x) => x === 1) ? "'same'" : null;
    const padArg = kerasPad ?? "'valid'";
    const zp = kerasPad ? '' : pad !== '0' && !prefix ? `layers.ZeroPadding2D(${pad}), ` : '';
    return `${prefix}${zp}layers.Conv2D(${c.filters}, kernel_size=${k}${s !== '1' ? `, strides=${s}` : ''}, padding=${padArg}${d !== '1' ? `, dilation_rate=${d}` : ''}${c.groups > 1 ? `, groups=${c.groups}` : ''}${c.useBias ? '' : ', use_bias=False'})`;
  }
  if (cfg.kind === 'pool' && cfg.c.rank === 2) {
    const c = cfg.c;
    const k = tuple(c.pool);
    const s = tuple(c.strides);
    if (toTorch) {
      const g = node.geometry;
      const same = c.padding === 'same' && g && (g.padTop + g.padBottom + g.padLeft + g.padRight) > 0;
      const cls = c.mode === 'max' ? 'MaxPool2d' : 'AvgPool2d';
      if (same) return `# 'same' pooling pads ${g!.padTop}/${g!.padBottom}/${g!.padLeft}/${g!.padRight}; PyTorch pads symmetrically:\nnn.${cls}(${k}, stride=${s}, padding=${Math.max(g!.padTop, g!.padLeft)}${c.mode === 'avg' ? ', count_include_pad=False' : ''}, ceil_mode=True)`;
      return `nn.${cls}(${k}${s !== k ? `, stride=${s}` : ''})`;
    }
    const cls = c.mode === 'max' ? 'MaxPooling2D' : 'AveragePooling2D';
    const pads = typeof c.padding === 'string' ? 0 : Math.max(...c.padding.flat());
    const zp = pads > 0 ? `layers.ZeroPadding2D(${pads}), ` : '';
    return `${zp}layers.${cls}(pool_size=${k}${s !== k ? `, strides=${s}` : ''})${c.ceilMode ? "  # ceil_mode=True: use padding='same' when it gives the same size" : ''}`;
  }
  if (cfg.kind === 'dense') {
    if (toTorch) {
      const last = node.inputShapes[0]?.[node.inputShapes[0].length - 1];
      return `nn.Linear(${last !== undefined && isKnown(last) ? last : 'in_features'}, ${cfg.units})${cfg.activation === 'softmax' ? ', nn.Softmax(dim=1)' : cfg.activation ? `, nn.${TORCH_ACT[cfg.activation] ?? 'ReLU'}()` : ''}`;
    }
    return `layers.Dense(${cfg.units})`;
  }
  if (cfg.kind === 'flatten') {
    return toTorch
      ? 'nn.Flatten()  # PyTorch flattens (C, H, W): channel by channel, not pixel by pixel as Keras (H, W, C)'
      : 'layers.Flatten()  # Keras flattens (H, W, C): all channels of a pixel together, not channel by channel as PyTorch';
  }
  return null;
}

const TORCH_ACT: Record<string, string> = { relu: 'ReLU', relu6: 'ReLU6', sigmoid: 'Sigmoid', tanh: 'Tanh', elu: 'ELU', selu: 'SELU', gelu: 'GELU', softmax: 'Softmax', leaky_relu: 'LeakyReLU', swish: 'SiLU', silu: 'SiLU' };
