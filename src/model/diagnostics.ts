/**
 * Diagnostics: a stable code, a severity, the numbers involved, and a message in English or
 * Korean (using the textbook's terms: 커널, 필터, 패딩, 밸리드 패딩, 세임 패딩, 스트라이드, 특성 맵, 풀링).
 */
import type { Range } from '../shared/range';

export type Severity = 'error' | 'warning' | 'info';
export type Locale = 'en' | 'ko';

export type DiagCode =
  | 'kernel-too-large'
  | 'output-size-nonpositive'
  | 'channel-mismatch'
  | 'in-features-mismatch'
  | 'same-padding-stride'
  | 'pool-drops-border'
  | 'pool-padding-too-large'
  | 'rank-mismatch'
  | 'merge-mismatch'
  | 'reshape-mismatch'
  | 'bad-argument'
  | 'unsupported-argument'
  | 'unknown-layer'
  | 'unreadable-layer'
  | 'opaque-model'
  | 'input-inferred'
  | 'input-unknown'
  | 'model-partial'
  | 'library-not-found'
  | 'model-lost'
  | 'file-capped'
  | 'unsupported-op'
  | 'model-file';

export type DiagArgs = Record<string, string | number>;

/**
 * Where a message is read: the command line names its flags (--input-shape, --python), the editor
 * its commands and settings. Carried as `args.surface` (absent: the command line).
 */
export type Surface = 'editor' | 'cli';

/** The diagnostic as the editor words it. */
export function forEditor(d: Diagnostic): Diagnostic {
  return { ...d, args: { ...d.args, surface: 'editor' } };
}

const inEditor = (a: DiagArgs): boolean => a.surface === 'editor';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: { en: string; ko: string };
  edits: TextEdit[];
}

export interface Diagnostic {
  range: Range;
  severity: Severity;
  code: DiagCode;
  args: DiagArgs;
  fix?: Fix;
  /** Raised inside this other module: the range is the analyzed file's call that led there. */
  file?: string;
  /** In a model file (.keras, .h5, .onnx): the layer or node it is about; the range is {0, 0}. */
  node?: string;
}

type Template = (a: DiagArgs) => string;

/** What ConvLens computes in place of an argument's value it does not model (unsupported-argument). */
export type Modelled = 'zeros' | 'no-indices' | 'divisor-ceil' | 'resize-modes' | 'channels-last' | 'stretch';
const MODELLED_EN: Record<Modelled, string> = {
  zeros: "zero padding ('zeros')",
  'no-indices': 'the pooled tensor alone, without the indices',
  'divisor-ceil': 'divisor_override only where every window lies inside the padded input (ceil_mode=False)',
  'resize-modes': "only 'nearest' and 'bilinear'",
  'channels-last': "channels last ('channels_last')",
  stretch: 'the image stretched to the new size',
};
const MODELLED_KO: Record<Modelled, string> = {
  zeros: "0으로 채우는 패딩('zeros')으로 계산합니다",
  'no-indices': '인덱스 없이 풀링 결과만 계산합니다',
  'divisor-ceil': 'divisor_override를 모든 창이 패딩된 입력 안에 있을 때(ceil_mode=False)만 계산합니다',
  'resize-modes': "'nearest'와 'bilinear'만 계산합니다",
  'channels-last': "채널을 마지막 축('channels_last')으로 두고 계산합니다",
  stretch: '이미지를 새 크기로 늘여 계산합니다',
};

/** `name=value`, or for a positional argument (arg `#n`) its position and value. */
function argText(a: DiagArgs, locale: Locale = 'en'): string {
  const arg = String(a.arg);
  if (!arg.startsWith('#')) return `${arg}=${a.value}`;
  return locale === 'ko'
    ? `${arg.slice(1)}번째 위치 인자(${a.value})`
    : `positional argument ${arg.slice(1)} (${a.value})`;
}

const EN: Record<DiagCode, Template> = {
  'kernel-too-large': (a) => `${a.layer}: kernel ${a.kernel} is larger than its ${a.input} input with ${a.padding}`,
  'output-size-nonpositive': (a) => `${a.layer}: the output size would be ${a.out} (input ${a.input}, ${a.detail})`,
  'channel-mismatch': (a) => `${a.layer}: expects ${a.expected} input channels (${a.arg}) but receives ${a.actual}`,
  'in-features-mismatch': (a) =>
    `${a.layer}: ${a.arg}=${a.expected} but the input has ${a.actual} features${a.detail ? ` (${a.detail})` : ''}`,
  'same-padding-stride': (a) =>
    `${a.layer}: padding='same' is not supported for strided convolutions in PyTorch (stride ${a.stride}); PyTorch raises here. Use padding=${a.suggestion}`,
  'pool-drops-border': (a) =>
    `${a.layer}: the ${a.window} window with stride ${a.stride} leaves out the last ${a.dropped} of the ${a.input} input`,
  'pool-padding-too-large': (a) =>
    `${a.layer}: padding ${a.pad} is more than half of kernel size ${a.kernel}; PyTorch raises here`,
  'rank-mismatch': (a) => `${a.layer}: expects a ${a.expected} input but receives ${a.actual}`,
  'merge-mismatch': (a) => `${a.layer}: cannot ${a.op} shapes ${a.a} and ${a.b}`,
  'reshape-mismatch': (a) => `${a.layer}: cannot reshape ${a.size} values into ${a.target}`,
  'bad-argument': (a) => `${a.layer}: ${a.detail}`,
  'unsupported-argument': (a) =>
    a.modelled !== undefined
      ? `${a.layer}: ${argText(a)} is not modelled (ConvLens computes ${MODELLED_EN[a.modelled as Modelled]}); the values shown leave it out`
      : `${a.layer}: ConvLens does not read the argument ${argText(a)}; the shapes and values shown leave it out`,
  'unknown-layer': (a) => `${a.layer}: ConvLens does not know ${a.type}; shapes after it are not computed`,
  'unreadable-layer': (a) => `${a.layer}: ${a.reason}; shapes after it are not computed`,
  'opaque-model': (a) =>
    `${a.layer}: ConvLens does not read the source of ${a.what}, so its layers and parameters are not counted; shapes after it are symbolic`,
  'input-inferred': (a) => `${a.model}: input size ${a.shape} inferred from ${a.layer} ${a.arg}=${a.features}`,
  'input-unknown': (a) =>
    `${a.model}: no input shape found, so shapes are symbolic. Add a comment '# convlens: input_shape=${a.example}' or ${inEditor(a) ? "run 'ConvLens: Set Input Shape'" : 'pass --input-shape'}`,
  'model-partial': (a) => `${a.model} is shown in part: ${PARTIAL_EN[a.why as PartialWhy](a)}`,
  'library-not-found': (a) =>
    `${a.name}: ConvLens found no source of the ${a.package} package, so the model this call builds is not read. Point ConvLens at the Python environment where ${a.package} is installed: ${inEditor(a) ? "the convlens.pythonPath setting, the Python extension's interpreter or a .venv in the workspace" : 'the convlens.pythonPath setting or a .venv in the workspace (command line: --python or --site-packages)'}`,
  'model-lost': (a) =>
    `The model '${a.model}' is not shown: the call that builds it cannot be followed here: ${LOST_EN[a.why as LostWhy](a)}`,
  'file-capped': (a) => `ConvLens: ${a.detail}`,
  'unsupported-op': (a) =>
    `${a.node}: op ${a.op} is not supported${a.detail ? ` (${a.detail})` : ''}; the model is shown up to this node`,
  'model-file': (a) => `${a.node ? `${a.node}: ` : ''}${a.detail}`,
};

/** Why a model the file builds is not shown at all (args.why of 'model-lost'). */
export type LostWhy = 'foreign-class' | 'foreign-function' | 'unknown-function' | 'not-modelled' | 'not-read';

const LOST_EN: Record<LostWhy, Template> = {
  'foreign-class': (a) => `class ${a.name} comes from module ${a.module}, which ConvLens did not find or does not read`,
  'foreign-function': (a) => `${a.name} comes from module ${a.module}, which ConvLens did not find or does not read`,
  'unknown-function': (a) => `${a.name} is an unknown function`,
  'not-modelled': (a) => `ConvLens does not model ${a.name} yet`,
  'not-read': (a) =>
    `the source of ${a.name} was not found (it is read when its package is where imports are looked up, e.g. ${inEditor(a) ? 'the Python environment of the convlens.pythonPath setting' : '--site-packages'})`,
};

const LOST_KO: Record<LostWhy, Template> = {
  'foreign-class': (a) => `클래스 ${a.name}은(는) ConvLens가 찾지 못했거나 읽지 않는 모듈 ${a.module}에 있습니다`,
  'foreign-function': (a) => `${a.name}은(는) ConvLens가 찾지 못했거나 읽지 않는 모듈 ${a.module}에 있습니다`,
  'unknown-function': (a) => `${a.name}은(는) 알 수 없는 함수입니다`,
  'not-modelled': (a) => `ConvLens가 아직 ${a.name}을(를) 다루지 않습니다`,
  'not-read': (a) =>
    `${a.name}의 소스를 찾지 못했습니다 (패키지가 import를 찾는 위치(예: ${inEditor(a) ? 'convlens.pythonPath 설정의 파이썬 환경' : '--site-packages'})에 있으면 읽습니다)`,
};

/** Why a model is shown in part (args.why of 'model-partial'). */
export type PartialWhy =
  'unknown-argument' | 'foreign-class' | 'foreign-function' | 'unknown-function' | 'not-modelled';

const PARTIAL_EN: Record<PartialWhy, Template> = {
  'unknown-argument': (a) =>
    `${String(a.name).includes(',') ? `its constructor arguments ${a.name} have` : `its constructor argument ${a.name} has`} no value here (the file never creates ${a.model} with arguments), so the sizes that depend on ${String(a.name).includes(',') ? 'them' : 'it'} are unknown`,
  'foreign-class': (a) =>
    `the analysis stopped here: block class ${a.name} comes from module ${a.module}, which ConvLens does not read yet`,
  'foreign-function': (a) =>
    `the analysis stopped here: ${a.name} comes from module ${a.module}, which ConvLens does not read yet`,
  'unknown-function': (a) => `the analysis stopped here: call to an unknown function ${a.name}`,
  'not-modelled': (a) => `the analysis stopped here: ConvLens does not model ${a.name} yet`,
};

const PARTIAL_KO: Record<PartialWhy, Template> = {
  'unknown-argument': (a) =>
    `생성자 인자 ${a.name}의 값이 없어(파일에서 ${a.model}을(를) 인자와 함께 만들지 않음) 그 값에 따른 크기는 알 수 없습니다`,
  'foreign-class': (a) =>
    `여기서 분석이 멈췄습니다: 블록 클래스 ${a.name}은(는) ConvLens가 아직 읽지 않는 모듈 ${a.module}에 있습니다`,
  'foreign-function': (a) =>
    `여기서 분석이 멈췄습니다: ${a.name}은(는) ConvLens가 아직 읽지 않는 모듈 ${a.module}에 있습니다`,
  'unknown-function': (a) => `여기서 분석이 멈췄습니다: 알 수 없는 함수 ${a.name} 호출`,
  'not-modelled': (a) => `여기서 분석이 멈췄습니다: ConvLens가 아직 ${a.name}을(를) 다루지 않습니다`,
};

const KO: Record<DiagCode, Template> = {
  'kernel-too-large': (a) => `${a.layer}: 커널 ${a.kernel}이(가) ${a.padding}에서 입력 ${a.input}보다 큽니다`,
  'output-size-nonpositive': (a) => `${a.layer}: 출력 크기가 ${a.out}이(가) 됩니다 (입력 ${a.input}, ${a.detail})`,
  'channel-mismatch': (a) =>
    `${a.layer}: 입력 채널 ${a.expected}개를 기대하지만 (${a.arg}) 실제 입력은 ${a.actual}개입니다`,
  'in-features-mismatch': (a) =>
    `${a.layer}: ${a.arg}=${a.expected}이지만 입력 특성은 ${a.actual}개입니다${a.detail ? ` (${a.detail})` : ''}`,
  'same-padding-stride': (a) =>
    `${a.layer}: 파이토치는 스트라이드 ${a.stride}인 합성곱에서 padding='same'(세임 패딩)을 지원하지 않아 오류가 납니다. padding=${a.suggestion}을(를) 쓰세요`,
  'pool-drops-border': (a) =>
    `${a.layer}: ${a.window} 풀링 창이 스트라이드 ${a.stride}로 이동하면 입력 ${a.input}의 마지막 ${a.dropped}이(가) 빠집니다`,
  'pool-padding-too-large': (a) =>
    `${a.layer}: 패딩 ${a.pad}이(가) 커널 크기 ${a.kernel}의 절반보다 큽니다. 파이토치에서 오류가 납니다`,
  'rank-mismatch': (a) => `${a.layer}: ${a.expected} 입력을 기대하지만 ${a.actual}을(를) 받습니다`,
  'merge-mismatch': (a) =>
    `${a.layer}: 크기 ${a.a}와(과) ${a.b}을(를) ${a.op === 'add' ? '더할' : '연결할'} 수 없습니다`,
  'reshape-mismatch': (a) => `${a.layer}: 값 ${a.size}개를 ${a.target} 크기로 바꿀 수 없습니다`,
  'bad-argument': (a) => `${a.layer}: ${a.detail}`,
  'unsupported-argument': (a) =>
    a.modelled !== undefined
      ? `${a.layer}: ${argText(a, 'ko')}은(는) 모델링하지 않습니다(ConvLens는 ${MODELLED_KO[a.modelled as Modelled]}). 보여 주는 값에는 반영되지 않습니다`
      : `${a.layer}: ConvLens는 인자 ${argText(a, 'ko')}을(를) 읽지 않습니다. 보여 주는 크기와 값에는 반영되지 않습니다`,
  'unknown-layer': (a) => `${a.layer}: ConvLens가 모르는 층(${a.type})이어서 이후의 크기는 계산하지 않습니다`,
  'unreadable-layer': (a) =>
    a.arg === undefined
      ? `${a.layer}: 인자를 읽을 수 없어 이후의 크기는 계산하지 않습니다`
      : a.value === undefined
        ? `${a.layer}: 필요한 인자 ${a.arg}이(가) 없어 이후의 크기는 계산하지 않습니다`
        : `${a.layer}: 인자 ${a.arg}=${a.value}이(가) 잘못되었거나 읽을 수 없어 이후의 크기는 계산하지 않습니다`,
  'opaque-model': (a) =>
    `${a.layer}: ${a.what}의 소스는 읽지 않으므로 그 층과 파라미터는 세지 않고, 이후의 크기는 기호로 나타냅니다`,
  'input-inferred': (a) =>
    `${a.model}: 입력 크기 ${a.shape}을(를) ${a.layer}의 ${a.arg}=${a.features}에서 추론했습니다`,
  'input-unknown': (a) =>
    `${a.model}: 입력 크기를 찾지 못해 크기를 기호로 보여 줍니다. '# convlens: input_shape=${a.example}' 주석을 추가하거나 ${inEditor(a) ? "'ConvLens: 입력 크기 지정' 명령을 실행하세요" : '--input-shape를 지정하세요'}`,
  'model-partial': (a) => `${a.model}은(는) 일부만 보여 줍니다: ${PARTIAL_KO[a.why as PartialWhy](a)}`,
  'library-not-found': (a) =>
    `${a.name}: ${a.package} 패키지의 소스를 찾지 못해 이 호출이 만드는 모델을 읽지 않았습니다. ${a.package}이(가) 설치된 파이썬 환경을 알려 주세요: ${inEditor(a) ? 'convlens.pythonPath 설정, Python 확장의 인터프리터 또는 작업 영역의 .venv' : 'convlens.pythonPath 설정이나 작업 영역의 .venv (명령줄: --python 또는 --site-packages)'}`,
  'model-lost': (a) =>
    `모델 '${a.model}'을(를) 보여 줄 수 없습니다: 모델을 만드는 호출을 여기서 더 따라갈 수 없습니다: ${LOST_KO[a.why as LostWhy](a)}`,
  'file-capped': (a) => `ConvLens: ${a.detail}`,
  'unsupported-op': (a) =>
    `${a.node}: 연산 ${a.op}은(는) 지원하지 않습니다${a.detail ? ` (${a.detail})` : ''}. 모델은 이 노드 앞까지 보여 줍니다`,
  'model-file': (a) => `${a.node ? `${a.node}: ` : ''}${a.detail}`,
};

export function diagnosticMessage(d: Pick<Diagnostic, 'code' | 'args' | 'file'>, locale: Locale = 'en'): string {
  const text = (locale === 'ko' ? KO : EN)[d.code](d.args);
  if (!d.file) return text;
  const base = d.file.split(/[\\/]/).pop()!;
  return locale === 'ko' ? `${text} (${base}에서)` : `${text} (in ${base})`;
}

export const DIAG_CODES = Object.keys(EN) as DiagCode[];
