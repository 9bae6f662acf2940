/**
 * A page whose code loads when it is first shown: the pages with charts (uPlot) and graph
 * layout (dagre) stay out of the bundle the trace and search pages wait for.
 */
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/fetch-json.js';
import { ErrorState, Loading } from './states.js';

export function lazyPage<P extends object>(
  what: string,
  load: () => Promise<FunctionComponent<P>>,
): FunctionComponent<P> {
  let page: FunctionComponent<P> | undefined;
  let pending: Promise<FunctionComponent<P>> | undefined;
  return function LazyPage(props: P) {
    const [failed, setFailed] = useState<unknown>(undefined);
    const [, setLoaded] = useState(false);
    useEffect(() => {
      if (page) return;
      let live = true;
      pending ??= load();
      pending.then(
        (loaded) => {
          page = loaded;
          if (live) setLoaded(true);
        },
        (error: unknown) => {
          pending = undefined; // a later visit tries again
          // The collector serves the page's code: not getting it means it is not reachable.
          const message = error instanceof Error ? error.message : String(error);
          if (live) setFailed(new ApiError(`the collector is not reachable (${message})`, 0));
        },
      );
      return () => {
        live = false;
      };
    }, []);
    if (page) {
      const Page = page;
      return <Page {...props} />;
    }
    if (failed !== undefined) return <ErrorState error={failed} what={what} />;
    return <Loading what={what} />;
  };
}
