// Dialog: a modal <dialog> with a titled header; Esc and the ✕ close it through onClose.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useApp } from '../app';
import { useId } from './useId';

export function Dialog({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ComponentChildren }) {
  const { t } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId('dlg');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={id} onClose={onClose} class="dialog">
      <header class="dialog-head">
        <h2 id={id}>{title}</h2>
        <button type="button" class="btn-icon" onClick={onClose} aria-label={t('common.close')}>✕</button>
      </header>
      {open ? children : null}
    </dialog>
  );
}
