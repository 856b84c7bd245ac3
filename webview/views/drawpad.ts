/**
 * The drawing pad: draw a digit with a mouse, pen or finger (pointer events), white on black like
 * MNIST, then "Use drawing" sends it downsampled to 28×28.
 */
import { button, el } from '../dom';
import { post } from '../host';
import { t } from '../i18n';
import { pixelsOf } from './images';

const SIDE = 280;

export function drawPad(): HTMLElement {
  const box = el('div', 'drawpad');
  const canvas = el('canvas', 'drawpad-canvas');
  canvas.width = canvas.height = SIDE;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('drawLabel'));
  const g = canvas.getContext('2d')!;
  const clear = (): void => {
    g.fillStyle = '#000';
    g.fillRect(0, 0, SIDE, SIDE);
  };
  clear();
  let last: [number, number] | null = null;
  const point = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * SIDE, ((e.clientY - r.top) / r.height) * SIDE];
  };
  const line = (to: [number, number]): void => {
    g.strokeStyle = '#fff';
    g.lineWidth = 22;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(...(last ?? to));
    g.lineTo(...to);
    g.stroke();
    last = to;
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = null;
    line(point(e));
  });
  canvas.addEventListener('pointermove', (e) => {
    if (last) line(point(e));
  });
  const end = (): void => {
    last = null;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  const actions = el('div', 'actions');
  actions.append(
    button(t('clear'), clear, { cls: 'btn secondary', key: 'draw-clear' }),
    button(t('useDrawing'), () => post(pixelsOf(canvas, SIDE, SIDE, { w: 28, h: 28 })), {
      cls: 'btn',
      key: 'draw-use',
    }),
  );
  box.append(canvas, actions);
  return box;
}
