// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportedModel } from '../../../../profiler/api';
import { builderBackend } from '../../../test/builder-backend';
import { catalogCard } from '../../../test/catalog-summary';
import { provideBackend } from '../../backend/workbench-backend';
import { useBuilderStore } from '../../stores/builder-store';
import { useNavigationStore } from '../../stores/navigation-store';
import ModelPicker from './ModelPicker.vue';

/** The preload's window.workbenchDesktop, as far as the model picker uses it. */
function exposeDesktop(folder: string | null, file: string | null = null) {
  const desktop = {
    openModelFolder: vi.fn(async () => folder),
    openModelFile: vi.fn(async () => file),
    importRunFile: vi.fn(),
    exportRun: vi.fn(),
    saveReportPdf: vi.fn(),
    onMenuCommand: vi.fn(() => () => undefined),
  };
  (window as { workbenchDesktop?: unknown }).workbenchDesktop = desktop;
  return desktop;
}

describe('model picker', () => {
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    provideBackend(builderBackend());
  });
  afterEach(() => {
    delete window.workbenchDesktop;
  });

  const open = async () => {
    const wrapper = mount(ModelPicker, { global: { plugins: [pinia] } });
    await flushPromises();
    return wrapper;
  };

  it('in a browser: a typed path is added, and there is no dialog button', async () => {
    const wrapper = await open();
    expect(wrapper.find('[data-testid="open-model-folder"]').exists()).toBe(false);
    await wrapper.get('[data-testid="input-folder"]').setValue('/models/Qwen3-0.6B-ONNX');
    await wrapper.get('form').trigger('submit');
    expect(useBuilderStore().folders).toEqual(['/models/Qwen3-0.6B-ONNX']);
  });

  it('in the desktop app: Open model folder… adds the picked folder, and a cancel adds nothing', async () => {
    const desktop = exposeDesktop('/models/SmolLM2-360M');
    const wrapper = await open();
    await wrapper.get('[data-testid="open-model-folder"]').trigger('click');
    await flushPromises();
    expect(desktop.openModelFolder).toHaveBeenCalledOnce();
    expect(useBuilderStore().folders).toEqual(['/models/SmolLM2-360M']);
    expect(wrapper.get('[data-testid="folder-0"]').text()).toContain('/models/SmolLM2-360M');

    desktop.openModelFolder.mockResolvedValueOnce(null);
    await wrapper.get('[data-testid="open-model-folder"]').trigger('click');
    await flushPromises();
    expect(useBuilderStore().folders).toHaveLength(1);
    // the typed path stays for folders under an allowed one
    expect(wrapper.find('[data-testid="input-folder"]').exists()).toBe(true);
  });

  it('in the desktop app: Open .onnx file… adds the picked file', async () => {
    exposeDesktop(null, '/models/bare/model.onnx');
    const wrapper = await open();
    await wrapper.get('[data-testid="open-model-file"]').trigger('click');
    await flushPromises();
    expect(useBuilderStore().folders).toEqual(['/models/bare/model.onnx']);
  });

  it('says why the dialog failed', async () => {
    const desktop = exposeDesktop(null);
    desktop.openModelFolder.mockRejectedValueOnce(
      new Error("Error invoking remote method 'workbench-desktop:openModelFolder': Error: no display"),
    );
    const wrapper = await open();
    await wrapper.get('[data-testid="open-model-folder"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="open-model-error"]').text()).toBe(
      'Could not open the model folder: no display',
    );
  });

  it('carries out File › Open Model Folder… once it is on screen', async () => {
    const desktop = exposeDesktop('/models/OLMo-2-1B');
    useNavigationStore().requestAction('open-model-folder');
    await open();
    expect(desktop.openModelFolder).toHaveBeenCalledOnce();
    expect(useNavigationStore().pendingAction).toBeNull();
    expect(useBuilderStore().folders).toEqual(['/models/OLMo-2-1B']);
  });
});

describe('Use real weights', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('imports the published checkpoint through the engine, shows progress and the licence note, and adds the folder to the sweep', async () => {
    const backend = builderBackend();
    let finish: (value: ImportedModel) => void = () => undefined;
    backend.importModel.mockImplementation(() => new Promise<ImportedModel>((resolve) => (finish = resolve)));
    provideBackend(backend);
    const wrapper = mount(ModelPicker, { global: { plugins: [createPinia()] } });
    setActivePinia(wrapper.vm.$pinia);
    await flushPromises();
    const id = catalogCard.id;
    expect(wrapper.text()).toContain('gated: accept the licence on the hub and set HF_TOKEN');
    await wrapper.get(`[data-testid="use-real-weights-${id}"]`).trigger('click');
    expect(backend.importModel).toHaveBeenCalledWith({ source: id });
    backend.emit({
      kind: 'import',
      source: id,
      stage: 'download',
      doneBytes: 1024 * 1024,
      totalBytes: 4 * 1024 * 1024,
    });
    await flushPromises();
    expect(wrapper.get(`[data-testid="real-weights-status-${id}"]`).text()).toBe(
      'Downloading… 1.0 MiB of 4.0 MiB',
    );
    expect(wrapper.get(`[data-testid="use-real-weights-${id}"]`).attributes('disabled')).toBeDefined();
    const dir = '/data/models/imported/facebook_MobileLLM-R1-140M-fused';
    finish({
      dir,
      repo: 'facebook/MobileLLM-R1-140M',
      commit: 'a'.repeat(40),
      family: 'MobileLLM-R1',
      style: 'fused',
      parameters: 140_248_512,
      publishedParameters: 140_248_512,
      downloadedBytes: 4 * 1024 * 1024,
      reused: false,
    });
    await flushPromises();
    expect(wrapper.get(`[data-testid="real-weights-status-${id}"]`).text()).toContain(
      `Real weights imported: ${dir}`,
    );
    expect(useBuilderStore().folders).toEqual([dir]);
  });

  it('a refused download says why on the card', async () => {
    const backend = builderBackend();
    backend.importModel.mockRejectedValue(
      new Error(
        'https://huggingface.co refused facebook/MobileLLM-R1-140M (HTTP 401): the repo is gated or private.',
      ),
    );
    provideBackend(backend);
    const wrapper = mount(ModelPicker, { global: { plugins: [createPinia()] } });
    setActivePinia(wrapper.vm.$pinia);
    await flushPromises();
    await wrapper.get(`[data-testid="use-real-weights-${catalogCard.id}"]`).trigger('click');
    await flushPromises();
    const status = wrapper.get(`[data-testid="real-weights-status-${catalogCard.id}"]`);
    expect(status.attributes('role')).toBe('alert');
    expect(status.text()).toContain('HTTP 401): the repo is gated or private');
  });
});
