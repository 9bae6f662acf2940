/**
 * `/search?service=&operation=&tags=&minDuration=&maxDuration=&lookback=&limit=&sort=`:
 * the form (services and operations from the store, tag autocompletion) and the results.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../../api/collector-api.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { useAsync } from '../../components/use-async.js';
import { sortSummaries } from '../../model/trace-summary.js';
import { navigate, type Location } from '../../router.js';
import { FIELDS, searchRequest, type Field } from './search-query.js';
import { SearchResults } from './search-results.js';

const LOOKBACKS = ['5m', '15m', '1h', '2h', '6h', '12h', '1d', '2d', '7d'];

function SearchForm({ initial }: { initial: Record<Field, string> }) {
  const [form, setForm] = useState(initial);
  useEffect(() => setForm(initial), [JSON.stringify(initial)]);
  const services = useAsync(() => api.services(), 'services');
  const operations = useAsync(
    () => (form.service ? api.spanNames(form.service) : Promise.resolve([])),
    `ops:${form.service}`,
  );
  const keys = useAsync(() => api.autocompleteKeys(), 'keys');
  const lastTerm = form.tags.split(/\s+/).pop() ?? '';
  const eq = lastTerm.indexOf('=');
  const valueKey = eq > 0 ? lastTerm.slice(0, eq) : '';
  const values = useAsync(
    () => (valueKey ? api.autocompleteValues(valueKey) : Promise.resolve([])),
    `values:${valueKey}`,
  );
  const prefix = form.tags.slice(0, form.tags.length - lastTerm.length);
  const tagOptions =
    valueKey && values.status === 'done'
      ? values.value.map((v) => `${prefix}${valueKey}=${v}`)
      : keys.status === 'done'
        ? keys.value.map((k) => `${prefix}${k}=`)
        : [];
  const set = (field: Field) => (e: Event) =>
    setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });
  const submit = (e: Event): void => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const f of FIELDS) if (form[f].trim() !== '') q.set(f, form[f].trim());
    q.set('run', '1');
    navigate(`/search?${q.toString()}`);
  };
  return (
    <form class="search-form" onSubmit={submit} aria-label="Find traces">
      <label>
        Service
        <select
          name="service"
          value={form.service}
          onChange={(e) => setForm({ ...form, service: e.currentTarget.value, operation: '' })}
        >
          <option value="">all services</option>
          {services.status === 'done' && services.value.map((s) => <option value={s}>{s}</option>)}
        </select>
      </label>
      <label>
        Operation
        <select name="operation" value={form.operation} onChange={set('operation')}>
          <option value="">all operations</option>
          {operations.status === 'done' && operations.value.map((s) => <option value={s}>{s}</option>)}
        </select>
      </label>
      <label class="wide">
        Tags
        <input
          name="tags"
          list="tag-options"
          placeholder="http.status_code=500 error"
          value={form.tags}
          onInput={set('tags')}
          autocomplete="off"
        />
        <datalist id="tag-options">
          {tagOptions.slice(0, 200).map((o) => (
            <option value={o} />
          ))}
        </datalist>
      </label>
      <label>
        Min duration
        <input
          name="minDuration"
          placeholder="e.g. 100ms"
          value={form.minDuration}
          onInput={set('minDuration')}
          size={8}
        />
      </label>
      <label>
        Max duration
        <input
          name="maxDuration"
          placeholder="e.g. 1.2s"
          value={form.maxDuration}
          onInput={set('maxDuration')}
          size={8}
        />
      </label>
      <label>
        Lookback
        <select name="lookback" value={form.lookback} onChange={set('lookback')}>
          {LOOKBACKS.map((l) => (
            <option value={l}>last {l}</option>
          ))}
        </select>
      </label>
      <label>
        Limit
        <input
          name="limit"
          type="number"
          min={1}
          max={10000}
          value={form.limit}
          onInput={set('limit')}
          size={5}
        />
      </label>
      <button type="submit">Find traces</button>
      {services.status === 'failed' && <ErrorState error={services.error} what="services" />}
    </form>
  );
}

/** The search page. */
export function SearchPage({ location }: { location: Location }) {
  const q = location.query;
  const { initial, sort, ran, problems, search, key } = searchRequest(q);
  const results = useAsync(() => (key ? api.traceSummaries(search) : Promise.resolve(null)), key);
  const summaries = useMemo(
    () => (results.status === 'done' && results.value ? results.value : []),
    [results],
  );
  const sorted = useMemo(() => sortSummaries(summaries, sort), [summaries, sort]);
  const setSort = (order: string): void => {
    const next = new URLSearchParams(q);
    next.set('sort', order);
    navigate(`/search?${next.toString()}`, true);
  };
  return (
    <div class="page search-page">
      <SearchForm initial={initial} />
      {problems.length > 0 && (
        <div class="state error" role="alert">
          {problems.map((p) => (
            <p>{p}</p>
          ))}
        </div>
      )}
      {!ran ? (
        <Empty title="Find traces">
          <p>Pick a service (or none), then Find traces.</p>
        </Empty>
      ) : results.status === 'loading' ? (
        <Loading what="traces" />
      ) : results.status === 'failed' ? (
        <ErrorState error={results.error} what="traces" />
      ) : sorted.length === 0 ? (
        <Empty title="No traces found">
          <p>
            No trace in the last {initial.lookback} matches. Widen the lookback, or send some traffic (hivelab
            invoke --trace).
          </p>
        </Empty>
      ) : (
        <SearchResults summaries={sorted} sort={sort} onSort={setSort} />
      )}
    </div>
  );
}
