/** The trial statistics live in common/ (pure), where the renderer's test builders use them too. */
export { NOISY_CV, percentile, summarize } from '../../common/statistics';
