/**
 * Functions that Playwright runs inside the page (the workbench or the webview frame). Each is
 * self-contained (Playwright sends its source). The project's tsconfig has no DOM library (the
 * host code must not use it), so the few DOM globals used here are declared for this module only.
 */

// Module-scoped: these do not leak into the rest of the program.
declare const document: any;
declare const navigator: any;

interface El {
  contains(other: unknown): boolean;
  querySelectorAll(sel: string): ArrayLike<any>;
}

export function hasFocusInside(e: El): boolean {
  return e.contains(document.activeElement);
}

/** The rendered lines of a Monaco editor, top to bottom, with injected text (inlay hints). */
export function renderedLines(ed: El): string[] {
  return Array.from(ed.querySelectorAll('.view-lines .view-line'))
    .map((l: any) => ({
      top: parseFloat(l.style.top || '0'),
      text: String(l.textContent ?? '').replace(/\u00a0/g, ' '),
    }))
    .sort((a, b) => a.top - b.top)
    .map((l) => l.text);
}

export function clipboardWrite(text: string): Promise<void> {
  return navigator.clipboard.writeText(text);
}

export function clipboardRead(): Promise<string> {
  return navigator.clipboard.readText();
}

export function bodyText(): string {
  return String(document.body.innerText);
}

/**
 * Records (Date.now() in the page, the same clock as the test's) when the panel next shows the
 * layer `name` drawn — its title set, no "computing" mark, every card on screen built: a
 * MutationObserver sees the render's DOM change right after the render (canvases included) ends.
 * Read with `drawnAt`.
 */
export function armDrawn(name: string): void {
  const g = globalThis as any;
  g.__convlensDrawn?.disconnect();
  g.__convlensDrawnAt = null;
  g.performance.clearMarks('convlens:state');
  g.performance.clearMeasures('convlens:render');
  // drawn: the layer's title, nothing computing, and no card on screen still to be built (cards
  // off screen are built after the frame: webview/deferred.ts)
  const onScreenPending = (): boolean =>
    Array.from(document.querySelectorAll('.card.pending')).some((e: any) => {
      const r = e.getBoundingClientRect();
      return r.bottom > 0 && r.top < g.innerHeight && r.right > 0 && r.left < g.innerWidth;
    });
  const check = (): void => {
    const shown = String(document.querySelector('.layer-title .layer-name')?.textContent ?? '');
    if (shown === name && !document.querySelector('.waiting') && !onScreenPending() && g.__convlensDrawnAt === null) {
      g.__convlensDrawnAt = Date.now();
      g.__convlensDrawn?.disconnect();
    }
  };
  g.__convlensDrawn = new (g.MutationObserver as any)(check);
  g.__convlensDrawn.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
}

export function drawnAt(): number | null {
  return (globalThis as any).__convlensDrawnAt ?? null;
}

/**
 * Where the last armed move's time went, on the page's clock (epoch ms): when the last state
 * arrived (the panel keeps one mark) and the time spent in the panel's renders since `armDrawn`.
 */
export function drawnDetail(): { lastState: number | null; renderMs: number } {
  const perf = (globalThis as any).performance;
  const o: number = perf.timeOrigin;
  const states = perf.getEntriesByName('convlens:state', 'mark');
  const renders = perf.getEntriesByName('convlens:render', 'measure');
  return {
    lastState: states.length ? o + states[states.length - 1].startTime : null,
    renderMs: renders.reduce((a: number, r: any) => a + r.duration, 0),
  };
}

/**
 * The page's own timeline (epoch ms, the test's clock): its navigation's start, when VS Code's
 * service worker took the navigation (webviews in a browser load through one), when ConvLens's
 * script had loaded, and the end of the last render of the panel (performance measures
 * 'convlens:render', webview/render.ts).
 */
export function pageTimeline(): {
  origin: number;
  worker: number | null;
  script: number | null;
  rendered: number | null;
} {
  // the page's Performance (with navigation and resource entries, which Node's does not type)
  const perf = (globalThis as any).performance;
  const o: number = perf.timeOrigin;
  const nav = perf.getEntriesByType('navigation')[0];
  const script = perf.getEntriesByType('resource').find((e: any) => /\/dist\/webview\.js/.test(e.name));
  const renders = perf.getEntriesByName('convlens:render', 'measure');
  const last = renders[renders.length - 1];
  return {
    origin: o,
    worker: nav?.workerStart ? o + nav.workerStart : null,
    script: script ? o + script.responseEnd : null,
    rendered: last ? o + last.startTime + last.duration : null,
  };
}

/** The layer the panel shows: its title (name, type, kind), the current strip chip, and whether it is computing. */
export function panelLayer(): { title: string; name: string; current: string; busy: boolean } {
  return {
    title: String((document.querySelector('.layer-title') ?? document.querySelector('main h2'))?.textContent ?? ''),
    name: String(document.querySelector('.layer-title .layer-name')?.textContent ?? ''),
    current: String(document.querySelector('[aria-current]')?.textContent ?? ''),
    busy: !!document.querySelector('.waiting'),
  };
}

export interface CanvasStats {
  className: string;
  /** aria-label of the canvas or its nearest labelled ancestor (e.g. "Feature map 3, values 0 to 0.2"). */
  label: string;
  width: number;
  height: number;
  /** CSS size on screen. */
  shownWidth: number;
  shownHeight: number;
  /** Variance of the luminance (0 for a blank canvas). */
  variance: number;
  /** FNV-1a of the RGBA pixels. */
  hash: string;
}

/** Every canvas of the document, read back through a 2-D canvas (works whatever its context type). */
export function canvasStats(): CanvasStats[] {
  const out: CanvasStats[] = [];
  for (const c of Array.from(document.querySelectorAll('canvas')) as any[]) {
    if (c.width === 0 || c.height === 0) continue;
    const r = c.getBoundingClientRect();
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const g = copy.getContext('2d');
    g.drawImage(c, 0, 0);
    const d: Uint8ClampedArray = g.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    let sum2 = 0;
    let h = 0x811c9dc5;
    for (let i = 0; i < d.length; i += 4) {
      const y = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
      sum += y;
      sum2 += y * y;
      for (let k = 0; k < 4; k++) h = Math.imul(h ^ d[i + k]!, 0x01000193) >>> 0;
    }
    const n = d.length / 4;
    const mean = sum / n;
    const label = String(c.closest('[aria-label]')?.getAttribute('aria-label') ?? '');
    out.push({
      className: String(c.className),
      label,
      width: c.width,
      height: c.height,
      shownWidth: r.width,
      shownHeight: r.height,
      variance: sum2 / n - mean * mean,
      hash: h.toString(16),
    });
  }
  return out;
}

/** Where an element's text ends on the page (its right edge, in CSS pixels). */
export function textRight(e: unknown): number {
  const r = document.createRange();
  r.selectNodeContents(e);
  return r.getBoundingClientRect().right as number;
}

/**
 * The indexes (among iframe.webview) of the visible ConvLens webviews, and with `part` only those
 * whose centre lies over that part of the workbench.
 */
export function convlensWebviews(o: { part: string | null }): number[] {
  const frames = Array.from(document.querySelectorAll('iframe.webview')) as any[];
  const part = o.part ? document.querySelector(o.part)?.getBoundingClientRect() : null;
  if (o.part && !part) return [];
  const out: number[] = [];
  frames.forEach((f, i) => {
    if (!/extensionId=convlens\.convlens/.test(String(f.getAttribute('src') ?? ''))) return;
    const r = f.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || (globalThis as any).getComputedStyle(f).visibility === 'hidden') return;
    if (part) {
      const cx = r.left + r.width / 2;
      const cy = r.top + r.height / 2;
      if (cx < part.left || cx > part.right || cy < part.top || cy > part.bottom) return;
    }
    out.push(i);
  });
  return out;
}
