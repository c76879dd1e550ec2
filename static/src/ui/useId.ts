// useId: a page-unique id per component instance, to tie labels, hints and errors to controls.
import { useState } from 'preact/hooks';

let seq = 0;
export const useId = (prefix: string) => useState(() => `${prefix}-${++seq}`)[0];
