import type { CatalogSummary } from '../../profiler/api';

const score = { percent: null, source: 'not published' };

/** MobileLLM-R1 140M's catalog card, as catalog() answers it. */
export const catalogCard: CatalogSummary = {
  id: 'mobilellm-r1-140m',
  displayName: 'MobileLLM-R1-140M',
  family: 'MobileLLM-R1',
  hfRepo: 'facebook/MobileLLM-R1-140M',
  parameters: 140_248_512,
  layers: 15,
  hiddenSize: 576,
  heads: 9,
  kvHeads: 3,
  headDim: 64,
  vocabSize: 128_256,
  tiedEmbeddings: true,
  baseContextTokens: 4096,
  postTrainedContextTokens: 32768,
  maxContextTokens: 32768,
  kvBytesPerTokenFloat16: 11_520,
  kvBytesPerTokenFloat32: 23_040,
  scores: {
    math500: { percent: 6.2, source: 'model card' },
    gsm8k: score,
    aime24: score,
    aime25: score,
    liveCodeBenchV6: score,
  },
  blockWeightSharingNote: 'The catalog therefore defaults to no sharing.',
};
