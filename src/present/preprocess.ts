/** The image preprocessing steps in Korean (the English sentences come with the steps). */
import type { PreprocessStep } from '../io/image';

const METHOD_KO = { area: '영역 평균', bilinear: '쌍선형 보간', none: '그대로' } as const;

export function preprocessText(step: PreprocessStep, locale: 'en' | 'ko'): string {
  if (locale !== 'ko') return step.text;
  switch (step.step) {
    case 'source':
      return `원본 이미지: ${step.format ? `${step.format.toUpperCase()}, ` : ''}${step.width}×${step.height} 픽셀`;
    case 'alpha':
      return '투명한 픽셀은 검은 배경 위에 합성';
    case 'channels':
      return step.method === 'bt601-luma'
        ? 'RGB를 회색 채널 1개로: 0.299·R + 0.587·G + 0.114·B'
        : step.method === 'repeat-gray'
          ? '회색 값을 채널 3개에 복사 (R = G = B)'
          : `채널 ${step.to}개 그대로`;
    case 'resize':
      return step.horizontal === 'none' && step.vertical === 'none'
        ? `크기 ${step.to.width}×${step.to.height} 그대로`
        : `${step.from.width}×${step.from.height} → ${step.to.width}×${step.to.height}로 크기 조정 (${METHOD_KO[step.horizontal === 'none' ? step.vertical : step.horizontal]})`;
    case 'scale':
      return step.scale === 1 ? '픽셀 값을 255로 나눠 [0, 1] 범위로' : '픽셀 값은 [0, 255] 그대로';
    case 'layout':
      if (step.shape.length === 3)
        return `(${step.shape.join(', ')}) 모양의 시퀀스로 배치: ${step.layout === 'channelsLast' ? '배치, 길이, 채널' : '배치, 채널, 길이'} — i번째 값은 이미지를 위에서 아래로 나눈 i번째 가로 띠`;
      return `(${step.shape.join(', ')}) 모양으로 배치: ${step.layout === 'channelsLast' ? '배치, 높이, 너비, 채널' : '배치, 채널, 높이, 너비'}`;
  }
}
