/**
 * A few 16×16 icons as inline SVG built with the DOM (no markup strings, nothing for a CSP to
 * block), filled with currentColor so they follow the theme.
 */
const PATHS = {
  play: 'M4.5 2.6v10.8L13 8z',
  pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
  back: 'M3 2.5h2v11H3zM13 2.8v10.4L6 8z',
  forward: 'M11 2.5h2v11h-2zM3 2.8v10.4L10 8z',
  source: 'M9 2h5v5h-1.5V4.6L7.1 10 6 8.9l5.4-5.4H9zM2 4h5v1.5H3.5v7h7V9H12v5H2z',
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'ico');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name]);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}
