// A bar chart drawn by Chart.js (bundled: nothing is fetched), as a Svelte action on a canvas.
// Only what the Statistics screen needs is registered, so the rest of the library stays out of
// the bundle. The canvas is a picture for those who would rather look: the table beside it
// carries the same counts for screen readers.

import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export type BarChartData = { labels: string[]; values: number[] };

export function barChart(canvas: HTMLCanvasElement, data: BarChartData) {
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: [{ data: data.values, backgroundColor: '#3f6e8c' }],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  return {
    update(next: BarChartData) {
      chart.data.labels = next.labels;
      const dataset = chart.data.datasets[0];
      if (dataset) dataset.data = next.values;
      chart.update();
    },
    destroy() {
      chart.destroy();
    },
  };
}
