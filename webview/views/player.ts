/**
 * Sliding the stamp: play / pause / step buttons that move an output cursor in reading order
 * (left to right, top to bottom, as the textbook's stamp moves) about 6 steps a second on
 * requestAnimationFrame, and arrow keys on a focused map. Reduced motion: one step a second.
 * Playing stops by itself at the last cell, when the learner takes over, or when the view is gone.
 */
import { button, el, reducedMotion } from '../dom';
import { icon } from '../icons';
import { t } from '../i18n';

export interface Cursor {
  oy: number;
  ox: number;
}

export class Player {
  readonly controls: HTMLElement;
  private readonly playBtn: HTMLButtonElement;
  private frame = 0;

  constructor(
    private readonly rows: number,
    private readonly cols: number,
    private readonly get: () => Cursor,
    private readonly set: (c: Cursor) => void,
    key: string,
  ) {
    this.controls = el('div', 'player');
    this.controls.setAttribute('role', 'toolbar');
    this.playBtn = button('', () => this.toggle(), { cls: 'btn play', key: `${key}-play` });
    const back = button('', () => this.manual(-1), {
      cls: 'btn secondary icon',
      label: t('stepBack'),
      title: t('stepBack'),
      key: `${key}-back`,
    });
    const fwd = button('', () => this.manual(1), {
      cls: 'btn secondary icon',
      label: t('stepForward'),
      title: t('stepForward'),
      key: `${key}-fwd`,
    });
    back.append(icon('back'));
    fwd.append(icon('forward'));
    this.controls.append(back, this.playBtn, fwd);
    this.render();
  }

  get playing(): boolean {
    return this.frame !== 0;
  }

  /** Moves n cells in reading order; false at either end. */
  step(n: number): boolean {
    const c = this.get();
    const i = c.oy * this.cols + c.ox + n;
    if (i < 0 || i >= this.rows * this.cols) return false;
    this.set({ oy: Math.floor(i / this.cols), ox: i % this.cols });
    return true;
  }

  private manual(n: number): void {
    this.stop();
    this.step(n);
  }

  toggle(): void {
    if (this.playing) {
      this.stop();
      return;
    }
    const c = this.get();
    if (c.oy * this.cols + c.ox >= this.rows * this.cols - 1) this.set({ oy: 0, ox: 0 });
    const interval = reducedMotion() ? 1000 : 1000 / 6;
    let last = performance.now();
    const tick = (now: number): void => {
      if (!this.controls.isConnected) {
        this.frame = 0;
        return;
      }
      if (now - last >= interval) {
        last = now;
        if (!this.step(1)) {
          this.stop();
          return;
        }
      }
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
    this.render();
  }

  stop(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  private render(): void {
    this.playBtn.replaceChildren(
      icon(this.playing ? 'pause' : 'play'),
      document.createTextNode(this.playing ? t('pause') : t('play')),
    );
    this.playBtn.setAttribute('aria-pressed', String(this.playing));
  }

  /** Arrow keys (and Home/End for the row) move the cursor on a focused element. */
  bindKeys(target: HTMLElement): void {
    target.addEventListener('keydown', (e) => {
      const c = this.get();
      const moves: Record<string, Cursor> = {
        ArrowLeft: { oy: c.oy, ox: c.ox - 1 },
        ArrowRight: { oy: c.oy, ox: c.ox + 1 },
        ArrowUp: { oy: c.oy - 1, ox: c.ox },
        ArrowDown: { oy: c.oy + 1, ox: c.ox },
        Home: { oy: c.oy, ox: 0 },
        End: { oy: c.oy, ox: this.cols - 1 },
      };
      const m = moves[e.key];
      if (!m) return;
      e.preventDefault();
      this.stop();
      this.set({ oy: Math.max(0, Math.min(this.rows - 1, m.oy)), ox: Math.max(0, Math.min(this.cols - 1, m.ox)) });
    });
  }
}
