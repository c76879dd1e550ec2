// ConflictBanner: after a stale save (409) the form shows the newer version; this says so and
// offers to put the user's own changes back on top of it.
import { useApp } from '../../app';
import { fmtDateTime } from '../../lib/format';
import type { TicketDraft } from '../../lib/tickets';
import { Banner } from '../../ui/Banner';
import type { Key } from '../../i18n';

interface Props { savedAt: string | undefined; mine: Partial<TicketDraft>; onReapply: () => void }

export function ConflictBanner({ savedAt, mine, onReapply }: Props) {
  const { t, locale } = useApp();
  return (
    <Banner kind="warn">
      <strong>{t('conflict.title')}</strong> {t('conflict.formBody', { at: fmtDateTime(savedAt, locale) })}
      {Object.keys(mine).length ? (
        <div class="conflict-mine">
          {t('conflict.yours')}: {Object.entries(mine).map(([k, v]) => `${t(`ticket.${k}` as Key)} = “${v}”`).join('; ')}
          {' '}<button type="button" class="btn btn-small" onClick={onReapply}>{t('conflict.reapply')}</button>
        </div>
      ) : null}
    </Banner>
  );
}
