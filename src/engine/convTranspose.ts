/**
 * Transposed convolution (Keras Conv2DTranspose, PyTorch ConvTranspose2d): every input cell
 * stamps the kernel, scaled by its value, onto the output at i·stride − pad + t·dilation.
 * Output sizes follow transposeAxisGeometry (geometry.ts).
 */
import { fail, requirePositiveInt } from './errors';
import { transposeAxisGeometry } from './geometry';
import { pair, type IntOrPair } from './conv';
import { formatShape, imageShape, imageView, layoutView, requireRank, zeros, type Layout, type Tensor } from './tensor';

/** Keras kernels are (kh, kw, out, in) = 'HWOI'; PyTorch weights are (in, out/groups, kh, kw) = 'IOHW'. */
export type TransposeKernelLayout = 'HWOI' | 'IOHW';

export interface Conv2DTransposeOptions {
  layout: Layout;
  strides?: IntOrPair;
  dilations?: IntOrPair;
  /** Keras: 'valid' | 'same'. PyTorch: int or (padH, padW). */
  padding?: 'valid' | 'same' | IntOrPair;
  outputPadding?: IntOrPair;
  groups?: number;
  bias?: Tensor | null;
  kernelLayout?: TransposeKernelLayout;
  name?: string;
}

export function conv2dTranspose(x: Tensor, kernel: Tensor, o: Conv2DTransposeOptions): Tensor {
  const op = o.name ?? 'Conv2DTranspose';
  const v = imageView(op, x, o.layout);
  requireRank(op, 'kernel', kernel, 4);
  const kl = o.kernelLayout ?? (o.layout === 'channelsLast' ? 'HWOI' : 'IOHW');
  const s = kernel.shape as [number, number, number, number];
  const groups = o.groups ?? 1;
  requirePositiveInt(op, 'groups', groups);
  const [kh, kw, coutPerGroup, cin] = kl === 'HWOI' ? [s[0], s[1], s[2] / groups, s[3]] : [s[2], s[3], s[1], s[0]];
  if (cin !== v.c || v.c % groups !== 0 || !Number.isInteger(coutPerGroup)) {
    fail(
      'channel-mismatch',
      `${op}: kernel ${formatShape(kernel.shape)} expects ${cin} input channels, but the input ${formatShape(x.shape)} has ${v.c}`,
    );
  }
  const cout = coutPerGroup * groups;
  const cinPerGroup = cin / groups;
  const [sh, sw] = pair(o.strides, 1);
  const [dh, dw] = pair(o.dilations, 1);
  const pad = o.padding ?? 'valid';
  const [ph, pw]: ['valid' | 'same' | number, 'valid' | 'same' | number] =
    typeof pad === 'string' ? [pad, pad] : pair(pad, 0);
  const opad = o.outputPadding === undefined ? undefined : pair(o.outputPadding, 0);
  const gh = transposeAxisGeometry(op, {
    inSize: v.h,
    kernel: kh,
    stride: sh,
    dilation: dh,
    padding: ph,
    ...(opad ? { outputPadding: opad[0] } : {}),
  });
  const gw = transposeAxisGeometry(op, {
    inSize: v.w,
    kernel: kw,
    stride: sw,
    dilation: dw,
    padding: pw,
    ...(opad ? { outputPadding: opad[1] } : {}),
  });
  const bias = o.bias ?? null;
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== cout)) {
    fail('channel-mismatch', `${op}: bias of shape ${formatShape(bias.shape)} does not match ${cout} filters`);
  }
  const out = zeros(imageShape(v.n, gh.out, gw.out, cout, o.layout), op);
  const ov = layoutView(v.n, gh.out, gw.out, cout, o.layout);
  // Repack as [ci][ky][kx][coutPerGroup] so the innermost loop runs over output channels.
  const w = kernel.data;
  const wp = new Float32Array(cin * kh * kw * coutPerGroup);
  for (let ci = 0; ci < cin; ci++) {
    const g = Math.floor(ci / cinPerGroup);
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        for (let j = 0; j < coutPerGroup; j++) {
          const src =
            kl === 'HWOI'
              ? ((ky * kw + kx) * cout + g * coutPerGroup + j) * cin + ci
              : ((ci * coutPerGroup + j) * kh + ky) * kw + kx;
          wp[((ci * kh + ky) * kw + kx) * coutPerGroup + j] = w[src]!;
        }
      }
    }
  }
  const y = out.data;
  const xd = x.data;
  for (let n = 0; n < v.n; n++) {
    for (let ih = 0; ih < v.h; ih++) {
      for (let iw = 0; iw < v.w; iw++) {
        for (let ci = 0; ci < cin; ci++) {
          const xv = xd[n * v.sN + ih * v.sH + iw * v.sW + ci * v.sC]!;
          if (xv === 0) continue;
          const g = Math.floor(ci / cinPerGroup);
          for (let ky = 0; ky < kh; ky++) {
            const oh = ih * sh - gh.padBefore + ky * dh;
            if (oh < 0 || oh >= gh.out) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ow = iw * sw - gw.padBefore + kx * dw;
              if (ow < 0 || ow >= gw.out) continue;
              const yBase = n * ov.sN + oh * ov.sH + ow * ov.sW + g * coutPerGroup * ov.sC;
              const wBase = ((ci * kh + ky) * kw + kx) * coutPerGroup;
              for (let j = 0; j < coutPerGroup; j++) y[yBase + j * ov.sC]! += xv * wp[wBase + j]!;
            }
          }
        }
      }
    }
  }
  if (bias) {
    for (let i = 0; i < y.length; i++) {
      const pix = o.layout === 'channelsLast' ? i % cout : Math.floor(i / (gh.out * gw.out)) % cout;
      y[i]! += bias.data[pix]!;
    }
  }
  return out;
}
