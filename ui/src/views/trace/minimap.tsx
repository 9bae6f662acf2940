/** An overview of every visible row on a canvas, with the rows in view marked; click to jump. */
import { useEffect, useRef } from 'preact/hooks';
import { serviceColor } from '../../components/colors.js';
import type { TraceModel } from '../../model/trace-model.js';

const HEIGHT = 48;

export function Minimap({
  model,
  rows,
  firstRow,
  lastRow,
  onJump,
}: {
  model: TraceModel;
  rows: Int32Array;
  firstRow: number;
  lastRow: number;
  onJump: (row: number) => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const width = canvas.clientWidth || 800;
    canvas.width = width;
    canvas.height = HEIGHT;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, HEIGHT);
    const spanUs = Math.max(1, model.endUs - model.startUs);
    // Rows fall on whole pixel lines; per line and colour the bars are merged into their
    // union, so 10 000 rows are a few hundred rects (drawn in the same colour order).
    const lines = Math.min(rows.length, HEIGHT);
    const byColor = new Map<string, [number, number][][]>();
    for (let r = 0; r < rows.length; r++) {
      const node = model.nodes[rows[r]!]!;
      const color = serviceColor(node.service);
      let perLine = byColor.get(color);
      if (!perLine) byColor.set(color, (perLine = Array.from({ length: lines }, () => [])));
      const x = ((node.startUs - model.startUs) / spanUs) * width;
      const w = Math.max(1, (node.durationUs / spanUs) * width);
      perLine[Math.min(lines - 1, Math.floor((r * lines) / rows.length))]!.push([x, x + w]);
    }
    const lineH = Math.max(1, HEIGHT / lines);
    for (const [color, perLine] of byColor) {
      ctx.fillStyle = color;
      perLine.forEach((bars, line) => {
        if (bars.length === 0) return;
        bars.sort((a, b) => a[0] - b[0]);
        let [from, to] = bars[0]!;
        for (const [x0, x1] of bars) {
          if (x0 > to) {
            ctx.fillRect(from, line * lineH, to - from, lineH);
            from = x0;
          }
          to = Math.max(to, x1);
        }
        ctx.fillRect(from, line * lineH, to - from, lineH);
      });
    }
  }, [model, rows]);
  const rowPct = 100 / Math.max(1, rows.length);
  return (
    <div class="minimap">
      <canvas
        ref={canvasRef}
        height={HEIGHT}
        aria-label="trace minimap"
        onClick={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          onJump(Math.floor(((e.clientY - rect.top) / rect.height) * rows.length));
        }}
      />
      <div
        class="minimap-view"
        style={{ top: `${firstRow * rowPct}%`, height: `max(2px, ${(lastRow - firstRow + 1) * rowPct}%)` }}
      />
    </div>
  );
}
