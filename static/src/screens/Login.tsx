// Login: the sign-in page — errors inline, and on 429 the wait from Retry-After, counted down.
import { useEffect, useState } from 'preact/hooks';
import { api, type User } from '../app';
import { ApiError } from '../lib/api';
import { apiMessage } from '../lib/apierrors';
import { Field } from '../ui/Field';
import { LocaleSwitch } from '../ui/LocaleSwitch';
import type { Key, Locale, Vars } from '../i18n';

interface Props { t: (k: Key, v?: Vars) => string; locale: Locale; setLocale: (l: Locale) => void; onSignedIn: (u: User) => void }

export function Login({ t, locale, setLocale, onSignedIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ username?: string; password?: string; form?: string }>({});
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (wait <= 0) return;
    const h = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(h);
  }, [wait]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (!username.trim()) errs.username = t('login.needUsername');
    if (!password) errs.password = t('login.needPassword');
    setErrors(errs);
    if (errs.username || errs.password || wait > 0) return;
    setBusy(true);
    try {
      const r = await api.post<{ user: User }>('/api/auth/login', { username: username.trim(), password });
      onSignedIn(r.user);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        setWait(err.retryAfter ?? 60);
        setErrors({});
      } else if (err instanceof ApiError && err.status === 401) {
        setErrors({ form: t('login.invalid') });
      } else if (err instanceof ApiError && err.field === 'username') {
        setErrors({ username: apiMessage(t, err) });
      } else if (err instanceof ApiError && err.field === 'password') {
        setErrors({ password: apiMessage(t, err) });
      } else {
        setErrors({ form: err instanceof ApiError && err.status < 500 ? apiMessage(t, err) : t('err.server') });
      }
    } finally {
      setBusy(false);
    }
  };

  const mins = Math.floor(wait / 60), secs = wait % 60;
  return (
    <main class="login-page">
      <form class="login card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div class="login-brand" aria-hidden="true">B</div>
        <h1 id="login-title">{t('login.title')}</h1>
        <p class="muted">{t('login.subtitle')}</p>
        <Field label={t('login.username')} name="username" value={username} onValue={setUsername}
          autoComplete="username" error={errors.username} required autoFocus />
        <Field label={t('login.password')} name="password" type="password" value={password} onValue={setPassword}
          autoComplete="current-password" error={errors.password} required />
        {errors.form ? <p class="form-error" role="alert">{errors.form}</p> : null}
        {wait > 0 ? (
          <p class="form-error throttle" role="alert">
            {t('login.throttled', { wait: mins ? `${mins}:${String(secs).padStart(2, '0')}` : t('common.seconds', { n: secs }) })}
          </p>
        ) : null}
        <button class="btn btn-primary btn-block" type="submit" disabled={busy || wait > 0}>
          {busy ? t('login.signingIn') : t('login.submit')}
        </button>
        <div class="login-foot"><LocaleSwitch locale={locale} setLocale={setLocale} t={t} /></div>
      </form>
    </main>
  );
}
