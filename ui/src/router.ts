/**
 * A small history router: every page is a deep link (`/search?…`, `/trace/<id>#span=…`).
 * The UI also answers under `/jaeger/` (Istio's Jaeger base path): links keep that base.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  /** Path without the base, e.g. `/trace/abc`. */
  path: string;
  query: URLSearchParams;
  hash: string;
}

/** `/jaeger` when the page was opened under it, else ''. */
export function basePath(): string {
  return window.location.pathname === '/jaeger' || window.location.pathname.startsWith('/jaeger/')
    ? '/jaeger'
    : '';
}

/** The location the window shows now. */
export function currentLocation(): Location {
  const base = basePath();
  const path = window.location.pathname.slice(base.length) || '/';
  return {
    path,
    query: new URLSearchParams(window.location.search),
    hash: window.location.hash.replace(/^#/, ''),
  };
}

const listeners = new Set<() => void>();

/** Goes to `href` (a path without the base) and re-renders the routed views. */
export function navigate(href: string, replace = false): void {
  const url = basePath() + href;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  for (const l of listeners) l();
}

/** The current location, updated on `navigate` and on back/forward. */
export function useLocation(): Location {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = (): void => setLocation(currentLocation());
    listeners.add(update);
    window.addEventListener('popstate', update);
    window.addEventListener('hashchange', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
      window.removeEventListener('hashchange', update);
    };
  }, []);
  return location;
}

/** Click handler for in-app links: plain left clicks navigate without a page load. */
export function onLinkClick(event: MouseEvent, href: string): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(href);
}
