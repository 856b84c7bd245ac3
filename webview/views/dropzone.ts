/**
 * Drag and drop of an image file anywhere on the panel: an overlay says where it will go, and the
 * dropped file becomes the input (`drawnInput`). Installed once, outside the re-rendered root.
 */
import { el } from '../dom';
import { post } from '../host';
import { t } from '../i18n';
import { readImageFile } from './images';

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
}

export function installDropZone(onError: (message: string) => void): void {
  const overlay = el('div', 'drop-overlay');
  overlay.setAttribute('aria-hidden', 'true');
  document.body.append(overlay);
  let depth = 0;
  const show = (on: boolean): void => {
    overlay.textContent = on ? t('dropNow') : '';
    overlay.classList.toggle('visible', on);
  };
  document.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    depth++;
    show(true);
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) show(false);
  });
  document.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = 'copy';
  });
  document.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    show(false);
    const file = [...e.dataTransfer!.files].find((f) => f.type.startsWith('image/')) ?? e.dataTransfer!.files[0];
    if (!file) return;
    readImageFile(file).then(post, () => onError(t('dropFailed')));
  });
}
