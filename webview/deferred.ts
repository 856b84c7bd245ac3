/**
 * Cards built when they can be seen. A layer's view is taller than the panel (a convolution's
 * stamp, maps, kernels, block, channel sums, padding, stride, what-if, learn, weights, input: some
 * 5,000 px), and building every card and canvas before the first one shows made each step through
 * the layers wait for what is off screen. A card made with `later` is a placeholder of about its
 * height; after the render, `settle` builds at once every placeholder on screen (again while
 * building one brings another into view), and the rest a moment after the frame is painted, in
 * slices (at once for those scrolled into view).
 * The next render drops what is still waiting (its cards belong to a layer no longer shown), so
 * stepping through layers builds only what is seen.
 */
import { el } from './dom';

interface Waiting {
  slot: HTMLElement;
  build: () => HTMLElement | null;
}

/** How long one slice of building off-screen cards may run. */
const SLICE_MS = 16;
/**
 * How long after the frame the off-screen cards start: stepping through layers, the next one
 * usually comes first, and these cards are never built.
 */
const REST_MS = 1000;

let waiting: Waiting[] = [];
let generation = 0;

/**
 * A placeholder for a card built later; `className` is given to the placeholder too (views find
 * a card by its class), `estimate` is its height until built (CSS pixels).
 */
export function later(build: () => HTMLElement | null, className = '', estimate = 360): HTMLElement {
  const slot = el('section', `card pending${className ? ` ${className}` : ''}`);
  slot.style.minHeight = `${estimate}px`;
  slot.setAttribute('aria-busy', 'true');
  waiting.push({ slot, build });
  return slot;
}

function fill(w: Waiting): void {
  if (!w.slot.isConnected) return;
  const card = w.build();
  if (card) w.slot.replaceWith(card);
  else w.slot.remove();
}

function onScreen(slot: HTMLElement): boolean {
  if (!slot.isConnected) return false;
  const r = slot.getBoundingClientRect();
  return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
}

/** Forgets the placeholders of the view being replaced. */
export function dropWaiting(): void {
  waiting = [];
  generation++;
}

/**
 * Builds the placeholders on screen now, and the others in slices once the frame is painted;
 * `built` runs after each slice (to put the focus back on an element it holds).
 */
export function settle(built: () => void = () => undefined): void {
  const gen = generation;
  buildOnScreen();
  if (waiting.length === 0) return;
  const step = (): void => {
    if (gen !== generation) return;
    // in slices of about two frames: a message that came meanwhile (the next layer) goes first,
    // and each slice is painted once
    const until = performance.now() + SLICE_MS;
    while (waiting.length && performance.now() < until) fill(waiting.shift()!);
    built();
    if (waiting.length) setTimeout(step, 0);
  };
  requestAnimationFrame(() => setTimeout(step, REST_MS));
}

/** Builds the placeholders on screen (again while building one brings another into view). */
function buildOnScreen(): void {
  for (;;) {
    const seen = waiting.filter((w) => onScreen(w.slot));
    if (seen.length === 0) break;
    waiting = waiting.filter((w) => !seen.includes(w));
    for (const w of seen) fill(w);
  }
  waiting = waiting.filter((w) => w.slot.isConnected);
}

// scrolled (or resized) before the cards below were built: the ones coming into view are built now
for (const event of ['scroll', 'resize'])
  window.addEventListener(event, () => waiting.length && buildOnScreen(), { passive: true });
