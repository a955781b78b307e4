import type { ReactNode } from 'react';
import type { Resource } from '../lib/context';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div className="state error" role="alert">
      <span>{error.message}</span>
      {retry && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

/**
 * A resource's three states in one place: loading (first load only), error (with retry, shown
 * above stale data when there is some), and the content; `empty` decides when the data holds nothing.
 */
export function Async<T>({ resource, empty, emptyText = 'Nothing yet.', children }: { resource: Resource<T>; empty?: (d: T) => boolean; emptyText?: ReactNode; children: (d: T) => ReactNode }) {
  const { data, error, loading, reload } = resource;
  if (data === undefined) {
    if (error) return <ErrorBox error={error} retry={reload} />;
    if (loading) return <Loading />;
    return null;
  }
  return (
    <>
      {error && <ErrorBox error={error} retry={reload} />}
      {empty?.(data) ? <Empty>{emptyText}</Empty> : children(data)}
    </>
  );
}

/** A form's or an action's failure, announced to screen readers; nothing when there is none. */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="state error" role="alert">
      {message}
    </p>
  );
}

/** "Load more" under a cursor-paged list, while the server has an older page. */
export function LoadMore({ list }: { list: { cursor: string | null; loading: boolean; more: boolean; loadMore(): void } }) {
  if (!list.cursor || list.loading) return null;
  return (
    <div className="row load-more">
      <button type="button" onClick={list.loadMore} disabled={list.more}>
        {list.more ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}
