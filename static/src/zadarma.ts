// zadarma: the Zadarma WebRTC phone widget, loaded only when the server says Zadarma is
// configured. The key comes from our API (the secret never reaches the browser).
import type { Api } from './lib/api';

export const WIDGET_BASE = 'https://my.zadarma.com/webphoneWebRTCWidget/v9/js/';
let loaded = false;

function script(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.async = false;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.appendChild(s);
  });
}

export async function loadZadarmaWidget(api: Api, locale: string) {
  if (loaded) return;
  loaded = true;
  try {
    const { key, sip } = await api.get<{ key: string; sip: string }>('/api/zadarma/webrtc-key');
    await script(`${WIDGET_BASE}loader-phone-lib.js?sub_v=1`);
    await script(`${WIDGET_BASE}loader-phone-fn.js?sub_v=1`);
    const fn = (window as any).zadarmaWidgetFn;
    if (typeof fn === 'function') fn(key, sip, 'square', locale === 'ru' ? 'ru' : 'en', true, { right: '10px', bottom: '5px' });
  } catch (e) {
    loaded = false;
    console.warn('Zadarma widget not loaded', e);
  }
}
