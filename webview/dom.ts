/**
 * Small DOM builders. Text always goes in through textContent; styles only through classes or
 * element.style from script (a strict CSP allows both; it blocks style attributes in markup).
 */

type Tag = keyof HTMLElementTagNameMap;

export function el<K extends Tag>(tag: K, className = '', text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface ButtonOptions {
  cls?: string;
  title?: string;
  label?: string;
  /** A stable key so focus survives a re-render. */
  key?: string;
  disabled?: boolean;
}

export function button(text: string, onClick: (e: MouseEvent) => void, o: ButtonOptions = {}): HTMLButtonElement {
  const b = el('button', o.cls ?? 'btn', text);
  b.type = 'button';
  if (o.title) b.title = o.title;
  if (o.label) b.setAttribute('aria-label', o.label);
  if (o.key) b.dataset['focusKey'] = o.key;
  if (o.disabled) b.disabled = true;
  b.addEventListener('click', onClick);
  return b;
}

export function select<T extends string | number>(
  label: string,
  options: { value: T; text: string }[],
  value: T,
  onChange: (v: T) => void,
  key?: string,
): HTMLLabelElement {
  const wrap = el('label', 'field');
  wrap.append(el('span', 'field-label', label));
  const s = el('select', 'select');
  for (const o of options) {
    const opt = el('option', '', o.text);
    opt.value = String(o.value);
    opt.selected = o.value === value;
    s.append(opt);
  }
  if (key) s.dataset['focusKey'] = key;
  s.addEventListener('change', () => {
    const o = options[s.selectedIndex];
    if (o) onChange(o.value);
  });
  wrap.append(s);
  return wrap;
}

export function checkbox(
  label: string,
  checked: boolean,
  onChange: (v: boolean) => void,
  key?: string,
): HTMLLabelElement {
  const wrap = el('label', 'check');
  const c = el('input', '');
  c.type = 'checkbox';
  c.checked = checked;
  if (key) c.dataset['focusKey'] = key;
  c.addEventListener('change', () => onChange(c.checked));
  wrap.append(c, el('span', '', label));
  return wrap;
}

/** A two-state segmented control (radio semantics). */
export function segmented<T extends string>(
  label: string,
  options: { value: T; text: string }[],
  value: T | null,
  onChange: (v: T) => void,
  key: string,
): HTMLElement {
  const group = el('div', 'segmented');
  group.setAttribute('role', 'radiogroup');
  group.setAttribute('aria-label', label);
  const buttons = options.map((o, i) => {
    const b = button(o.text, () => onChange(o.value), { cls: 'seg', key: `${key}-${i}` });
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', String(o.value === value));
    b.tabIndex = o.value === value || (i === 0 && !options.some((x) => x.value === value)) ? 0 : -1;
    return b;
  });
  group.addEventListener('keydown', (e) => {
    const i = buttons.findIndex((b) => b === document.activeElement);
    if (i < 0 || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
    e.preventDefault();
    const j = (i + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length;
    buttons[j]!.focus();
    buttons[j]!.click();
  });
  group.append(...buttons);
  return group;
}

export interface Card {
  root: HTMLElement;
  head: HTMLElement;
  body: HTMLElement;
}

/** A titled panel section; the heading labels the region for screen readers. */
export function card(title: string, cls = '', id?: string): Card {
  const root = el('section', `card ${cls}`.trim());
  const head = el('header', 'card-head');
  const h = el('h2', 'card-title', title);
  h.id = id ?? `h-${Math.random().toString(36).slice(2, 9)}`;
  root.setAttribute('aria-labelledby', h.id);
  head.append(h);
  const body = el('div', 'card-body');
  root.append(head, body);
  return { root, head, body };
}

/** The focused element's key, to find its replacement after a re-render. */
export function focusedKey(): string | null {
  const a = document.activeElement;
  return a instanceof HTMLElement ? (a.dataset['focusKey'] ?? null) : null;
}

export function restoreFocus(key: string | null): void {
  if (!key) return;
  const e = document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);
  e?.focus({ preventScroll: true });
}

/**
 * Theme variables read, until the theme changes (`forgetCssVars`): reading one after the view
 * changed makes the browser compute every style first.
 */
const cssVars = new Map<string, string>();

/** A VS Code theme variable's value (canvas drawing cannot use var() directly). */
export function cssVar(name: string, fallback: string): string {
  let v = cssVars.get(name);
  if (v === undefined) {
    v = getComputedStyle(document.body).getPropertyValue(name).trim();
    cssVars.set(name, v);
  }
  return v || fallback;
}

/** The theme changed: its variables are read again. */
export function forgetCssVars(): void {
  cssVars.clear();
}

export function reducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}
