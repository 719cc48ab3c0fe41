import { defineComponent, h } from 'vue';

/**
 * vue-chartjs for component tests (happy-dom has no canvas): each chart is a div that shows its labels
 * (`data-labels`, comma-joined), how many there are (`data-label-count`) and its dataset names
 * (`data-datasets`), each dataset's values (`data-values`, JSON) and the value axis's type (`data-y-type`). Use with `vi.mock('vue-chartjs', () => import('…/test/chart-stub'))`.
 */
function stub(type: string) {
  return defineComponent({
    props: {
      data: { type: Object, required: true },
      options: { type: Object, default: () => ({}) },
      plugins: { type: Array, default: () => [] },
    },
    setup(props) {
      return () => {
        const labels = (props.data as { labels?: unknown[] }).labels ?? [];
        return h('div', {
          class: 'chart-stub',
          'data-type': type,
          'data-labels': labels.join(','),
          'data-label-count': labels.length,
          'data-datasets': (props.data as { datasets: { label: string }[] }).datasets
            .map((dataset) => dataset.label)
            .join(','),
          'data-values': JSON.stringify(
            (props.data as { datasets: { data: unknown[] }[] }).datasets.map((dataset) => dataset.data),
          ),
          'data-y-type': (props.options as { scales?: { y?: { type?: string } } }).scales?.y?.type ?? '',
        });
      };
    },
  });
}

export const Bar = stub('bar');
export const Line = stub('line');
export const Scatter = stub('scatter');
