// Field: a labelled input, textarea or select with its hint and inline error, wired for
// screen readers (aria-invalid, aria-describedby).
import type { JSX } from 'preact';
import { useId } from './useId';

export interface FieldProps {
  label: string;
  name: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | null;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: JSX.HTMLAttributes['inputMode'];
  placeholder?: string;
  hint?: string;
  multiline?: boolean;
  options?: [string, string][];
  autoFocus?: boolean;
  disabled?: boolean;
  class?: string;
}

export function Field(p: FieldProps) {
  const id = useId(`f-${p.name}`);
  const described = [p.error ? `${id}-err` : '', p.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id, name: p.name, required: p.required, disabled: p.disabled, 'aria-invalid': p.error ? true : undefined,
    'aria-describedby': described, autoFocus: p.autoFocus,
  };
  let control;
  if (p.options) {
    control = (
      <select {...common} value={p.value} onChange={(e) => p.onValue((e.target as HTMLSelectElement).value)}>
        {p.options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    );
  } else if (p.multiline) {
    control = <textarea {...common} rows={3} value={p.value} placeholder={p.placeholder}
      onInput={(e) => p.onValue((e.target as HTMLTextAreaElement).value)} />;
  } else {
    control = <input {...common} type={p.type ?? 'text'} value={p.value} autoComplete={p.autoComplete}
      inputMode={p.inputMode} placeholder={p.placeholder}
      onInput={(e) => p.onValue((e.target as HTMLInputElement).value)} />;
  }
  return (
    <div class={`field${p.error ? ' has-error' : ''}${p.class ? ` ${p.class}` : ''}`} data-field={p.name}>
      <label for={id}>{p.label}{p.required ? <span class="req" aria-hidden="true"> *</span> : null}</label>
      {control}
      {p.hint ? <small id={`${id}-hint`} class="hint">{p.hint}</small> : null}
      {p.error ? <small id={`${id}-err`} class="field-error" role="alert">{p.error}</small> : null}
    </div>
  );
}
