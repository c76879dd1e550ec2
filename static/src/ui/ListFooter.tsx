// ListFooter: the end of a paged list — "Loading…" while a page loads, else "Load more" when
// there is a next page; with `auto`, the next page also loads as the end scrolls into view.
import { useEffect, useRef } from 'preact/hooks';
import { useApp } from '../app';
import { Loading } from './Loading';

interface Props { loading: boolean; cursor: string | null; more: () => void; auto?: boolean }

export function ListFooter({ loading, cursor, more, auto }: Props) {
  const { t } = useApp();
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!auto || !el || !cursor || loading) return;
    const io = new IntersectionObserver((es) => { if (es[0].isIntersecting) more(); }, { rootMargin: '300px' });
    io.observe(el);
    return () => io.disconnect();
  }, [auto, cursor, loading]);
  return (
    <>
      {auto ? <div ref={sentinel} class="sentinel" /> : null}
      {loading ? <Loading /> : null}
      {cursor && !loading ? <button type="button" class="btn btn-block" onClick={more}>{t('common.more')}</button> : null}
    </>
  );
}
