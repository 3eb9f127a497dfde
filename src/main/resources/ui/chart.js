// History chart: records per job (bars) and duration per job (line), oldest job on the left, as inline SVG.
export function historyChart(jobs) {
  const list = jobs.filter(j => j.duration_ms != null).slice(0, 30).reverse();
  if (list.length === 0) return '';
  const w = 720, h = 200, pad = 30, bw = (w - 2 * pad) / list.length;
  const maxR = Math.max(1, ...list.map(j => j.records));
  const maxD = Math.max(1, ...list.map(j => j.duration_ms));
  const bars = list.map((j, i) => {
    const bh = (h - 2 * pad) * j.records / maxR;
    return `<rect class="records" x="${pad + i * bw + 2}" y="${h - pad - bh}" width="${Math.max(1, bw - 4)}" height="${bh}"><title>Job ${j.id}: ${j.records} records, ${j.duration_ms} ms</title></rect>`;
  }).join('');
  const line = list.map((j, i) => `${pad + i * bw + bw / 2},${h - pad - (h - 2 * pad) * j.duration_ms / maxD}`).join(' ');
  const summary = list.map(j => `job ${j.id}: ${j.records} records in ${j.duration_ms} ms`).join('; ');
  return `<figure><svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="Records and duration per job: ${summary}">
    <line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#999"/>${bars}<polyline class="duration" points="${line}"/>
    <text x="${pad}" y="16" font-size="12">records (bars, max ${maxR.toLocaleString('en-US')})</text>
    <text x="${w - pad}" y="16" font-size="12" text-anchor="end" fill="#dc3545">duration (line, max ${maxD} ms)</text></svg>
    <figcaption class="small text-body-secondary">Last ${list.length} finished jobs, oldest left.</figcaption></figure>`;
}
