/**
 * Words of the hover and summary texts in English and Korean. Korean uses the textbook's terms:
 * 합성곱, 필터, 커널, 특성 맵, 패딩, 세임 패딩, 밸리드 패딩, 스트라이드, 최대 풀링, 평균 풀링.
 */
import type { Locale } from '../model/diagnostics';

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
  modelBuiltIn: (framework: string, file: string) => `${framework} model built in \`${file}\``,
  layerCount: (n: number) => `Layers: ${n}`,
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
  modelBuiltIn: (framework: string, file: string) => `\`${file}\`에서 만든 ${framework} 모델`,
  layerCount: (n: number) => `층: ${n}개`,
  builtHere: (n: number) => `이 생성자가 함수를 호출할 때마다 층을 하나씩, 모두 ${n}개 만들었습니다:`,
};

export function strings(locale: Locale): Strings {
  return locale === 'ko' ? KO : (EN as unknown as Strings);
}
