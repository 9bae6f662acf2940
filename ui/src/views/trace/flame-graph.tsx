/** A flame graph (icicle, root on top) of the trace on a canvas; click a box to select its span. */
import { useEffect, useRef } from 'preact/hooks';
import { serviceColor } from '../../components/colors.js';
import type { TraceModel } from '../../model/trace-model.js';

const BOX = 18;

export function FlameGraph({
  model,
  selected,
  onSelect,
}: {
  model: TraceModel;
  selected: number;
  onSelect: (i: number) => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const depth = Math.min(model.maxDepth + 1, 400);
  const spanUs = Math.max(1, model.endUs - model.startUs);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const width = canvas.clientWidth || 1000;
    canvas.width = width;
    canvas.height = depth * BOX;
    ctx.font = '11px sans-serif';
    ctx.textBaseline = 'middle';
    for (const node of model.nodes) {
      if (node.depth >= depth) continue;
      const x = ((node.startUs - model.startUs) / spanUs) * width;
      const w = Math.max(1, (node.durationUs / spanUs) * width);
      const y = node.depth * BOX;
      ctx.fillStyle = serviceColor(node.service);
      ctx.globalAlpha = node.index === selected ? 1 : 0.75;
      ctx.fillRect(x, y, w - 0.5, BOX - 1);
      if (w > 40) {
        ctx.globalAlpha = 1;
        ctx.fillStyle = '#fff';
        ctx.save();
        ctx.beginPath();
        ctx.rect(x, y, w, BOX);
        ctx.clip();
        ctx.fillText(`${node.service}: ${node.name}`, x + 3, y + BOX / 2);
        ctx.restore();
      }
    }
    ctx.globalAlpha = 1;
  }, [model, selected]);
  const pick = (e: MouseEvent): void => {
    const rect = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    const d = Math.floor((e.clientY - rect.top) / BOX);
    const t = model.startUs + ((e.clientX - rect.left) / rect.width) * spanUs;
    const hit = model.nodes.find((n) => n.depth === d && n.startUs <= t && t <= n.startUs + n.durationUs);
    if (hit) onSelect(hit.index);
  };
  return (
    <div class="flame">
      <canvas
        ref={ref}
        style={{ width: '100%', height: `${depth * BOX}px` }}
        onClick={pick}
        aria-label="flame graph"
      />
    </div>
  );
}
