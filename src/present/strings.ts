/**
 * Words of the hover and summary texts in English and Korean. Korean uses the textbook's terms:
 * 합성곱, 필터, 커널, 특성 맵, 패딩, 세임 패딩, 밸리드 패딩, 스트라이드, 최대 풀링, 평균 풀링.
 */
import type { Locale } from '../model/diagnostics';

/** An English noun for a count written as text ('1', '32', '3,136'). */
function plural(n: string, noun: string): string {
  return n === '1' ? noun : `${noun}s`;
}

const EN = {
  outputSize: 'Output size',
  params: 'Parameters',
  flops: 'FLOPs',
  receptiveField: 'Receptive field',
  jump: 'jump',
  pad: 'pad',
  visualize: 'Visualize',
  visualizeTitle: "Show this layer's feature maps in the ConvLens panel",
  calledTimes: (n: number) => `called ${n} times`,
  stopped: 'shape unknown: propagation stopped before this layer',
  sameMode: "'same'",
  validMode: "'valid'",
  stride: 'stride',
  nonTrainable: (n: string) => `${n} non-trainable`,
  whole: 'whole input',
  inputFrom: (d: string) => `input from ${d}`,
  flattenOrder: (cl: boolean) => (cl ? 'flattened in (H, W, C) order' : 'flattened in (C, H, W) order'),
  filters: 'filters',
  buffers: 'Buffers',
  notParameters: 'not parameters',
  buffersFooter: (n: string) => `Buffers (not parameters): ${n} — running statistics of normalization layers`,
  /** `file` comes formatted (a code span in Markdown). */
  modelBuiltIn: (framework: string, file: string) => `${framework} model built in ${file}`,
  layerCount: (n: number) => `Layers: ${n}`,
  arguments: 'Arguments',
  noLayerOnLine: (line: number) => `no layer on line ${line}`,
  filtersArg: (n: string) => `${n} ${plural(n, 'filter')} (stamps) → ${n} feature ${plural(n, 'map')}`,
  inChannelsArg: (n: string) => `${n} input ${plural(n, 'channel')}: the depth of each kernel`,
  kernelArg: (k: string, rank: number, depth: string | null) =>
    `each filter's kernel is ${rank === 1 ? `${k} long` : k}${depth === null ? '' : `, ${depth} deep (the input's channels)`}`,
  strideArg: (s: number[], rank: number) => {
    const unit = rank === 1 ? 'step' : 'pixel';
    if (s.every((x) => x === s[0]))
      return s[0] === 1
        ? `stride 1: moves 1 ${unit} at a time`
        : `stride ${s[0]}: moves ${s[0]} ${unit}s at a time, so the output is about 1/${s[0]} the size`;
    return `stride ${s.join('×')}: moves ${s[0]} down and ${s[1]} right at a time`;
  },
  defaultPoolStride: ' (default: the pool size)',
  defaultKernelStride: ' (default: kernel_size)',
  samePadding: 'same padding',
  validPadding: 'valid padding',
  zerosEachSide: (p: number, rank: number, zeros: boolean) =>
    rank === 1
      ? zeros
        ? `${p} zero${p > 1 ? 's' : ''} at each end`
        : `${p} padded at each end`
      : `${p} pixel${p > 1 ? 's' : ''} of ${zeros ? 'zeros' : 'padding'} on each side`,
  padSides: (sides: string, zeros: boolean) => `${zeros ? 'zeros' : 'padding'} ${sides}`,
  sideNames: (axis: 'h' | 'w' | 'seq') => (axis === 'h' ? 'top/bottom' : axis === 'w' ? 'left/right' : 'before/after'),
  noPadding: 'no zeros added',
  padEffect: (desc: string, from: string, to: string) =>
    from === to ? `${desc} keeps ${from}` : `${desc}: ${from} → ${to}`,
  sameUnknown: 'zeros around the input keep its size (with stride 1)',
  causalPadding: (p: number) => `${p} zero${p === 1 ? '' : 's'} in front only: each output sees no later step`,
  paddingModeArg: (mode: string) =>
    mode === 'reflect'
      ? 'the padding mirrors the input at its edge, without repeating the edge value (not zeros)'
      : mode === 'replicate'
        ? 'the padding repeats the edge value of the input (not zeros)'
        : mode === 'circular'
          ? 'the padding wraps around: the values of the opposite side (not zeros)'
          : `padding_mode='${mode}' is not one PyTorch accepts`,
  dilationArg: (d: number, k: string, span: string) =>
    `a gap of ${d - 1} between kernel cells: the ${k} kernel spans ${span}`,
  groupsArg: (g: number, cin: number | null) =>
    cin === null
      ? `input channels split into ${g} groups`
      : `${g} groups: each filter sees ${cin / g} of the ${cin} input channels`,
  activationArg: (fn: string, name: string, on: 'conv' | 'dense', n: string) =>
    fn === 'softmax'
      ? `softmax: the ${n} outputs become probabilities that sum to 1`
      : on === 'conv'
        ? `${name} after the weighted sum + bias: the feature maps are its output`
        : `${name} on each output after the weighted sum + bias`,
  noActivation: 'none: the output is the weighted sum + bias itself',
  biasArg: (on: boolean, what: 'filter' | 'neuron', n: string) =>
    on ? `one bias per ${what} (${n})` : 'no bias: the output is the weighted sum alone',
  unitsArg: (n: string, inputs: string | null) =>
    inputs === null
      ? `${n} neurons → ${n} outputs`
      : `${n} neurons → ${n} outputs, each connected to all ${inputs} inputs`,
  inFeaturesArg: (n: string) => `${n} inputs to every neuron`,
  poolArg: (mode: 'max' | 'avg', k: string, rank: number, maps: string | null) => {
    const win = rank === 1 ? `window of ${k}` : `${k} window`;
    const what =
      mode === 'max' ? `max pooling: the largest value of each ${win}` : `average pooling: the mean of each ${win}`;
    return `${what}${maps === null ? '' : `; the ${maps} feature ${plural(maps, 'map')} stay ${maps}`} (no weights)`;
  },
  ceilModeArg: 'rounds the output size up (⌈ ⌉) instead of down',
  flattenRole: 'lines all values up into one vector (no weights)',
  dropoutArg: (pct: string, scale: string) =>
    `training: a random ${pct}% of the values become 0 (the rest ×${scale}); inference: passes through unchanged`,
  dropoutOther: 'random noise in training only; passes through unchanged at inference',
  batchNormRole: (c: string | null) =>
    `normalizes ${c === null || c === '1' ? 'each channel' : `each of the ${c} channels`} by the batch's mean and variance, then scales (γ) and shifts (β)`,
  batchNormStats: (what: string) =>
    `${what}: updated as training runs, not trained by gradient descent; used at inference`,
  statistics: (pytorch: boolean) => (pytorch ? 'running mean, var' : 'moving mean, variance'),
  activationName: (fn: string) => fn,
  builtHere: (n: number) =>
    `This constructor built ${n === 1 ? '1 layer' : `${n} layers`}, one per call of its function:`,
} as const;

type Strings = {
  [K in keyof typeof EN]: (typeof EN)[K] extends (...a: infer A) => string ? (...a: A) => string : string;
};

const KO: Strings = {
  outputSize: '출력 크기',
  params: '파라미터',
  flops: 'FLOPs',
  receptiveField: '수용 영역',
  jump: '간격',
  pad: '패딩',
  visualize: '시각화',
  visualizeTitle: 'ConvLens 패널에서 이 층의 특성 맵 보기',
  calledTimes: (n: number) => `${n}번 호출됨`,
  stopped: '크기를 알 수 없음: 이 층 앞에서 크기 계산이 멈췄습니다',
  sameMode: "세임 패딩('same')",
  validMode: "밸리드 패딩('valid')",
  stride: '스트라이드',
  nonTrainable: (n: string) => `훈련되지 않는 파라미터 ${n}개 포함`,
  whole: '입력 전체',
  inputFrom: (d: string) => `입력: ${d}`,
  flattenOrder: (cl: boolean) => (cl ? '(H, W, C) 순서로 펼침' : '(C, H, W) 순서로 펼침'),
  filters: '필터',
  buffers: '버퍼',
  notParameters: '파라미터가 아님',
  buffersFooter: (n: string) => `버퍼 (파라미터가 아님): ${n} — 정규화 층의 이동 통계`,
  modelBuiltIn: (framework: string, file: string) => `${file}에서 만든 ${framework} 모델`,
  layerCount: (n: number) => `층: ${n}개`,
  arguments: '매개변수',
  noLayerOnLine: (line: number) => `${line}번째 줄에 층이 없습니다`,
  filtersArg: (n: string) => `필터(도장) ${n}개 → 특성 맵 ${n}개`,
  inChannelsArg: (n: string) => `입력 채널 ${n}개: 커널의 깊이`,
  kernelArg: (k: string, rank: number, depth: string | null) =>
    `필터마다 ${rank === 1 ? `길이 ${k}` : k} 커널${depth === null ? '' : `, 깊이 ${depth} (입력의 채널 수)`}`,
  strideArg: (s: number[], _rank: number) => {
    if (s.every((x) => x === s[0]))
      return s[0] === 1
        ? '스트라이드 1: 한 칸씩 이동'
        : `스트라이드 ${s[0]}: ${s[0]}칸씩 이동해 출력 크기가 약 1/${s[0]}`;
    return `스트라이드 ${s.join('×')}: 아래로 ${s[0]}칸, 오른쪽으로 ${s[1]}칸씩 이동`;
  },
  defaultPoolStride: ' (기본값: 풀 크기)',
  defaultKernelStride: ' (기본값: kernel_size)',
  samePadding: '세임 패딩',
  validPadding: '밸리드 패딩',
  zerosEachSide: (p: number, rank: number, zeros: boolean) =>
    rank === 1
      ? zeros
        ? `양 끝에 0을 ${p}개씩 채워`
        : `양 끝에 ${p}칸씩 패딩해`
      : zeros
        ? `양쪽에 0을 ${p}픽셀씩 채워`
        : `양쪽에 ${p}픽셀씩 패딩해`,
  padSides: (sides: string, zeros: boolean) => `${zeros ? '0으로' : ''} ${sides} 패딩해`.trimStart(),
  sideNames: (axis: 'h' | 'w' | 'seq') => (axis === 'h' ? '위/아래' : axis === 'w' ? '왼쪽/오른쪽' : '앞/뒤'),
  noPadding: '0을 채우지 않음',
  padEffect: (desc: string, from: string, to: string) =>
    from === to ? `${desc} ${from} 유지` : `${desc} ${from} → ${to}`,
  sameUnknown: '입력 주위를 0으로 채워 크기 유지 (스트라이드 1일 때)',
  causalPadding: (p: number) => `앞쪽에만 0을 ${p}개 채움: 출력마다 뒤쪽 값을 보지 않음`,
  paddingModeArg: (mode: string) =>
    mode === 'reflect'
      ? '가장자리 값을 반복하지 않고 입력을 거울처럼 비춰 패딩함 (0이 아님)'
      : mode === 'replicate'
        ? '입력의 가장자리 값을 반복해 패딩함 (0이 아님)'
        : mode === 'circular'
          ? '반대쪽 값으로 둘러 감아 패딩함 (0이 아님)'
          : `padding_mode='${mode}'는 PyTorch가 받지 않는 값`,
  dilationArg: (d: number, k: string, span: string) =>
    `커널 원소 사이를 ${d - 1}칸씩 띄움: ${k} 커널이 ${span} 범위를 봄`,
  groupsArg: (g: number, cin: number | null) =>
    cin === null ? `입력 채널을 ${g}개 그룹으로 나눔` : `그룹 ${g}개: 필터마다 입력 채널 ${cin}개 중 ${cin / g}개만 봄`,
  activationArg: (fn: string, name: string, on: 'conv' | 'dense', n: string) =>
    fn === 'softmax'
      ? `소프트맥스: 출력 ${n}개를 합이 1인 확률로 바꿈`
      : on === 'conv'
        ? `가중치 합 + 절편 뒤에 ${name} 적용: 특성 맵은 이 활성화 함수를 통과한 값`
        : `가중치 합 + 절편 뒤에 출력마다 ${name} 적용`,
  noActivation: '없음: 가중치 합 + 절편이 그대로 출력',
  biasArg: (on: boolean, what: 'filter' | 'neuron', n: string) =>
    on ? `${what === 'filter' ? '필터' : '뉴런'}마다 절편 하나 (${n}개)` : '절편 없음: 가중치 합만 출력',
  unitsArg: (n: string, inputs: string | null) =>
    inputs === null ? `뉴런 ${n}개 → 출력 ${n}개` : `뉴런 ${n}개 → 출력 ${n}개, 뉴런마다 입력 ${inputs}개 모두와 연결`,
  inFeaturesArg: (n: string) => `뉴런마다 입력 ${n}개`,
  poolArg: (mode: 'max' | 'avg', k: string, rank: number, maps: string | null) => {
    const win = rank === 1 ? `${k}개씩` : `${k} 영역마다`;
    const what = mode === 'max' ? `최대 풀링: ${win} 가장 큰 값` : `평균 풀링: ${win} 평균`;
    return `${what}${maps === null ? '' : `, 특성 맵 ${maps}개는 그대로`} (가중치 없음)`;
  },
  ceilModeArg: '출력 크기를 내림 대신 올림(⌈ ⌉)',
  flattenRole: '모든 값을 1차원 배열로 펼침 (가중치 없음)',
  dropoutArg: (pct: string, scale: string) =>
    `훈련할 때: 값의 ${pct}%를 무작위로 0으로 (나머지는 ×${scale}); 추론할 때: 그대로 통과`,
  dropoutOther: '훈련할 때만 무작위 잡음; 추론할 때는 그대로 통과',
  batchNormRole: (c: string | null) =>
    `${c === null ? '채널마다' : `채널 ${c}개를 각각`} 배치의 평균과 분산으로 정규화한 뒤 γ로 스케일, β로 이동`,
  batchNormStats: (what: string) => `${what}: 훈련 중에 갱신되지만 경사 하강법으로 훈련되지 않음; 추론할 때 사용`,
  statistics: (pytorch: boolean) =>
    pytorch ? '이동 평균·분산 (running mean, var)' : '이동 평균·분산 (moving mean, variance)',
  activationName: (fn: string) => ACTIVATION_KO[fn] ?? fn,
  builtHere: (n: number) => `이 생성자가 함수를 호출할 때마다 층을 하나씩, 모두 ${n}개 만들었습니다:`,
};

const ACTIVATION_KO: Record<string, string> = {
  relu: '렐루(relu)',
  sigmoid: '시그모이드(sigmoid)',
  softmax: '소프트맥스(softmax)',
  tanh: '하이퍼볼릭 탄젠트(tanh)',
};

export function strings(locale: Locale): Strings {
  return locale === 'ko' ? KO : (EN as unknown as Strings);
}
