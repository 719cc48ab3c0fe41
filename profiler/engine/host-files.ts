/**
 * The files a door handles for the engine: the data folder every door shares (--data-dir, else
 * EDGE_WORKBENCH_HOME, else the per-user app folder) and atomic writes of what the engine hands back (an
 * export, a run document, a window's state) where the user chose. They live with the run store.
 */
export { resolveDataDir } from '../store/data-dir';
export { writeFileAtomic } from '../store/atomic-write';
