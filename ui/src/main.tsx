/** hivelab's web UI: the shell (navigation) and the routes. */
import { render } from 'preact';
import { api, summariesKey, traceKey } from './api/collector-api.js';
import { startEarly } from './api/early-requests.js';
import { Link } from './components/link.js';
import { lazyPage } from './components/lazy-page.js';
import { Empty } from './components/states.js';
import { currentLocation, useLocation, type Location } from './router.js';
import { ComparePage } from './views/compare/compare-page.js';
import { searchRequest } from './views/search/search-query.js';
import { SearchPage } from './views/search/search-page.js';
import { TracePage } from './views/trace/trace-page.js';
import { prepareTimesWorker } from './views/trace/use-times.js';
import { TypesPage } from './views/types/types-page.js';
import './style.css';

const NAV = [
  ['/search', 'Search'],
  ['/types', 'Request types'],
  ['/dependencies', 'Dependencies'],
  ['/functions', 'Functions'],
  ['/runs', 'Runs'],
  ['/compare', 'Compare'],
] as const;

const DependenciesPage = lazyPage('the dependencies page', () =>
  import('./views/dependencies/dependencies-page.js').then((m) => m.DependenciesPage),
);
const FunctionsPage = lazyPage('the functions page', () =>
  import('./views/functions/functions-page.js').then((m) => m.FunctionsPage),
);
const RunsPage = lazyPage('the runs page', () => import('./views/runs/runs-page.js').then((m) => m.RunsPage));

const TRACE_PATH = /^\/trace\/([^/]+)$/;

/** The opened page's big request, started before the first render (api/early-requests.ts). */
function startPageRequest(location: Location): void {
  const path = location.path.replace(/\/+$/, '') || '/';
  const trace = TRACE_PATH.exec(path);
  if (trace) {
    const id = decodeURIComponent(trace[1]!);
    startEarly(traceKey(id), () => api.trace(id));
    prepareTimesWorker();
  } else if (path === '/' || path === '/search') {
    const { key, search } = searchRequest(location.query);
    if (key) startEarly(summariesKey(search), () => api.traceSummaries(search));
  }
}

function Route({ location }: { location: Location }) {
  const path = location.path.replace(/\/+$/, '') || '/';
  const trace = TRACE_PATH.exec(path);
  if (trace) return <TracePage key={trace[1]} id={decodeURIComponent(trace[1]!)} location={location} />;
  switch (path) {
    case '/':
    case '/search':
      return <SearchPage location={location} />;
    case '/compare':
      return <ComparePage location={location} />;
    case '/types':
      return <TypesPage location={location} />;
    case '/dependencies':
      return <DependenciesPage location={location} />;
    case '/functions':
      return <FunctionsPage />;
    case '/runs':
      return <RunsPage location={location} />;
    default:
      return (
        <Empty title="No such page">
          <p>
            <code>{location.path}</code> is not a page of hivelab's UI. Try <Link href="/search">Search</Link>
            .
          </p>
        </Empty>
      );
  }
}

function App() {
  const location = useLocation();
  const path = location.path === '/' ? '/search' : location.path;
  return (
    <>
      <header class="top">
        <Link href="/search" class="brand">
          hivelab
        </Link>
        <nav>
          {NAV.map(([href, label]) => (
            <Link href={href} class={path.startsWith(href) ? 'active' : ''}>
              {label}
            </Link>
          ))}
        </nav>
      </header>
      <main>
        <Route location={location} />
      </main>
    </>
  );
}

startPageRequest(currentLocation());
render(<App />, document.getElementById('app')!);
