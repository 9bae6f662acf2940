/** A uPlot chart that redraws when its data or options change. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function Chart({
  options,
  data,
  label,
}: {
  options: Omit<uPlot.Options, 'width'>;
  data: uPlot.AlignedData;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const plot = new uPlot({ ...options, width: Math.max(300, el.clientWidth || 800) }, data, el);
    return () => plot.destroy();
  }, [options, data]);
  return <div class="chart" ref={ref} role="img" aria-label={label} />;
}

/** Distinct series colours. */
export const SERIES_COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#17becf',
  '#8c564b',
  '#e377c2',
];
