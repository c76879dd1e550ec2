// Integrations (admin): which outside services are configured, from GET /api/config.
import { useApp } from '../../app';
import { Loading } from '../../ui/Loading';

export function Integrations() {
  const { config, t } = useApp();
  if (!config) return <Loading />;
  const i = config.integrations;
  const rows: [string, boolean, string][] = [
    ['Zadarma', !!i?.zadarma?.enabled, i?.zadarma?.sip ? t('integrations.sip', { sip: i.zadarma.sip }) : t('integrations.zadarmaWhat')],
    ['Telegram', !!i?.telegram?.enabled, t('integrations.telegramWhat')],
    ['Twilio', !!i?.twilio?.enabled, t('integrations.twilioWhat')],
  ];
  return (
    <section class="page" aria-labelledby="int-h">
      <div class="page-head"><h1 id="int-h">{t('nav.integrations')}</h1></div>
      <div class="cards-3">
        {rows.map(([name, on, what]) => (
          <div class="card integ" key={name} data-integration={name.toLowerCase()}>
            <h2>{name}</h2>
            <p><span class={`tag ${on ? 'tag-ok' : 'tag-off'}`}>{on ? t('integrations.on') : t('integrations.off')}</span></p>
            <p class="muted small">{what}</p>
          </div>
        ))}
      </div>
      <dl class="props card">
        <dt>{t('integrations.country')}</dt><dd>{config.defaultCountryCode ? `+${String(config.defaultCountryCode).replace(/^\+/, '')}` : '—'}</dd>
        <dt>{t('integrations.version')}</dt><dd>{config.version ?? '—'}</dd>
      </dl>
      <p class="muted small">{t('integrations.hint')}</p>
    </section>
  );
}
