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
    const rowH = HEIGHT / Math.max(1, rows.length);
    // One fill style per service: 10 000 rows are 10 000 rects but only a few style changes.
    const byColor = new Map<string, number[]>();
    for (let r = 0; r < rows.length; r++) {
      const color = serviceColor(model.nodes[rows[r]!]!.service);
      let list = byColor.get(color);
      if (!list) byColor.set(color, (list = []));
      list.push(r);
    }
    for (const [color, list] of byColor) {
      ctx.fillStyle = color;
      for (const r of list) {
        const node = model.nodes[rows[r]!]!;
        const x = ((node.startUs - model.startUs) / spanUs) * width;
        ctx.fillRect(x, r * rowH, Math.max(1, (node.durationUs / spanUs) * width), Math.max(1, rowH));
      }
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
