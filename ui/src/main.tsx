/** hivelab's web UI: the shell (navigation) and the routes. */
import { render } from 'preact';
import { Link } from './components/link.js';
import { Empty } from './components/states.js';
import { useLocation, type Location } from './router.js';
import { ComparePage } from './views/compare/compare-page.js';
import { DependenciesPage } from './views/dependencies/dependencies-page.js';
import { FunctionsPage } from './views/functions/functions-page.js';
import { RunsPage } from './views/runs/runs-page.js';
import { SearchPage } from './views/search/search-page.js';
import { TracePage } from './views/trace/trace-page.js';
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

function Route({ location }: { location: Location }) {
  const path = location.path.replace(/\/+$/, '') || '/';
  const trace = /^\/trace\/([^/]+)$/.exec(path);
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

render(<App />, document.getElementById('app')!);
